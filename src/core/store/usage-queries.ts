import type Database from 'better-sqlite3';
import type { CallOutcome } from '../../shared/domain';
import type { CallRow } from './calls-repository';
import {
  DAY_MS,
  ROLLUP_UNITS,
  MAX_TIME,
  METRIC_LATENCY,
  METRIC_TTFT,
  MIN_TIME,
  latencyBin,
  latencyBinSql,
  latencyBinValue,
  foldPendingSql,
  rebuildConversationBoundsSql,
  rebuildLatencySpansSql,
  rebuildRollupsSql,
  slotMeasures,
  spanBounds,
  spanPieces,
} from './usage-rollup';
import { type ConversationSums, type RangeParts, byCost, createTopConversationsByBound } from './usage-top-conversations';

/**
 * Every query of the cost dashboard, over a range [from, to) of call start times. Only calls that
 * ended count (outcome NOT NULL): one in flight has no outcome, cost or tokens yet.
 *
 * Whole 15-minute slots and whole UTC days are read from the rollups (`usage-rollup.ts`); the
 * parts of the range shorter than that from `calls` itself, so every figure is exact for any range
 * (percentiles within 3%; see `latencyBinValue`).
 */
export interface UsageQueries {
  /** The three reads below in one read transaction, so they agree with each other. */
  dashboard(query: DashboardQuery): DashboardAggregates;
  /** Calls and cost per bucket × provider × model (the spend chart). */
  series(query: Pick<DashboardQuery, 'from' | 'to' | 'bucketMs'>): SeriesPoint[];
  /** Counts, cost and tokens by kind per provider × model × deployment over the whole range. */
  totals(query: Pick<DashboardQuery, 'from' | 'to'>): DeploymentTotals[];
  /** p50/p95 latency and TTFT of successful calls per deployment. */
  latency(query: Pick<DashboardQuery, 'from' | 'to'>): LatencyHistogram[];
  /** The conversations that cost most, most first. */
  topConversations(query: Pick<DashboardQuery, 'from' | 'to' | 'topConversations'>): ConversationCost[];
  /** Ended calls in the range, oldest first, with their conversation's title. */
  exportRows(range: { from: number; to: number }): IterableIterator<ExportRow>;
  /** How many ended calls `exportRows` would give. */
  countEnded(range: { from: number; to: number }): number;
  /**
   * Deletes the ended calls of the range (all when a bound is absent) and brings the rollups in
   * line, in one transaction. Calls in flight are never deleted. Returns how many were deleted.
   */
  clear(range: { from?: number | undefined; to?: number | undefined }): number;
}

export interface DashboardQuery {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** Bucket width in ms; buckets start at `from + k × bucketMs`. */
  bucketMs: number;
  /** How many conversations the top list keeps. */
  topConversations: number;
}

export interface TokenKinds {
  inputNoCache: number;
  cacheRead: number;
  cacheWrite: number;
  outputText: number;
  reasoning: number;
}

export interface CallCounts {
  calls: number;
  /** success or cache_hit */
  successes: number;
  errors: number;
  aborted: number;
  /** Calls whose cost is known; the others add nothing to costUsd. */
  costed: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

/** One (bucket, provider, model) point. `bucket` is the index: its start is from + bucket × bucketMs. */
export interface SeriesPoint {
  bucket: number;
  provider: string;
  model: string;
  calls: number;
  costUsd: number;
}

export interface DeploymentTotals extends CallCounts, TokenKinds {
  provider: string;
  model: string;
  /** '' when the calls named no deployment (a direct call, not through a group). */
  deployment: string;
}

export interface LatencyHistogram {
  provider: string;
  model: string;
  deployment: string;
  /** Percentiles over successful calls; null without any. */
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
}

export interface ConversationCost {
  conversationId: string;
  /** null when the conversation was deleted since. */
  title: string | null;
  calls: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

export interface DashboardAggregates {
  series: SeriesPoint[];
  totals: DeploymentTotals[];
  latency: LatencyHistogram[];
  topConversations: ConversationCost[];
}

/** A raw `calls` row as the CSV export reads it: ended (so an outcome), with its conversation's title. */
export interface ExportRow extends Omit<CallRow, 'outcome'> {
  outcome: CallOutcome;
  conversation_title: string | null;
}

/** The rollup part [r0, r1) of a range at a granularity, and the raw parts before and after it. */
export function splitRange(from: number, to: number, unit: number): RangeParts {
  const c0 = Math.ceil(from / unit) * unit;
  const c1 = Math.floor(to / unit) * unit;
  // No whole unit inside: the range is read from calls alone.
  if (c0 >= c1) return { r0: 0, r1: 0, l0: from, l1: to, e0: to, e1: to };
  return { r0: c0, r1: c1, l0: from, l1: c0, e0: c1, e1: to };
}

const ENDED_IN = (lo: string, hi: string) => `outcome IS NOT NULL AND started_at >= @${lo} AND started_at < @${hi}`;

// better-sqlite3 binds JS numbers as REAL: cast, or the division would not be an integer one.
const SERIES_SUMS = 'SUM(calls) AS calls, SUM(cost_usd) AS costUsd';
const ROLLUP_SERIES_SQL = `
  SELECT (start - CAST(@from AS INTEGER)) / CAST(@bucketMs AS INTEGER) AS bucket, provider, model, ${SERIES_SUMS}
  FROM usage_rollup WHERE unit = @unit AND start >= @a AND start < @b
  GROUP BY bucket, provider, model`;
const RAW_SERIES_SQL = `
  SELECT (started_at - CAST(@from AS INTEGER)) / CAST(@bucketMs AS INTEGER) AS bucket, provider, model, COUNT(*) AS calls, SUM(COALESCE(cost_usd, 0)) AS costUsd
  FROM calls WHERE ${ENDED_IN('a', 'b')}
  GROUP BY bucket, provider, model`;

const TOTAL_SUMS = `SUM(calls) AS calls, SUM(successes) AS successes, SUM(errors) AS errors, SUM(aborted) AS aborted,
  SUM(costed) AS costed, SUM(cost_usd) AS costUsd, SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens,
  SUM(input_no_cache) AS inputNoCache, SUM(cache_read) AS cacheRead, SUM(cache_write) AS cacheWrite,
  SUM(output_text) AS outputText, SUM(output_reasoning) AS reasoning`;
const ROLLUP_TOTALS_SQL = `
  SELECT provider, model, deployment, ${TOTAL_SUMS}
  FROM usage_rollup WHERE unit = @unit AND start >= @a AND start < @b
  GROUP BY provider, model, deployment`;
const RAW_TOTALS_SQL = `
  SELECT provider, model, deployment, ${TOTAL_SUMS}
  FROM (SELECT ${slotMeasures('', false, true)} FROM calls WHERE ${ENDED_IN('a', 'b')})
  GROUP BY provider, model, deployment`;

// The whole days of the range as day blocks (`spanPieces`: the longest blocks that fit), read one
// block at a time with its bins as one list per deployment and metric (group_concat, "bin:n,…"):
// within a block the primary key is in group order, so the GROUP BY streams without a sort, and
// twenty rows cross into JS instead of thousands. Sorting the blocks' rows together and handing
// each bin to JS as a row were where the time went. Merged with the edges in JS (`Histograms`).
const BLOCK_LATENCY_SQL = `
  SELECT provider, model, deployment, metric, group_concat(bin || ':' || n) AS bins
  FROM usage_latency_span WHERE span = @span AND start = @start
  GROUP BY provider, model, deployment, metric`;

// Range edges shorter than a day: the successful calls' latencies per deployment as one list each
// (group_concat), binned in JS: one row per deployment instead of one per call.
const RAW_LATENCY_SQL = `
  SELECT provider, model, COALESCE(deployment, '') AS deployment,
    group_concat(latency_ms) AS latencies, group_concat(ttft_ms) AS ttfts
  FROM calls WHERE outcome = 'success' AND started_at >= @a AND started_at < @b
  GROUP BY provider, model, COALESCE(deployment, '')`;

// An edge that covers most of its UTC day (today's part of a range that ends now) is read as the
// day's histogram (its one-day block) less the rest of the day, binned in SQL like the rollups so
// the counts cancel exactly: the rest is usually empty (calls that start after now), where the edge
// itself is up to a day of calls.
const RAW_LATENCY_BINS_SQL = ([METRIC_LATENCY, METRIC_TTFT] as const)
  .map((metric) => {
    const column = metric === METRIC_LATENCY ? 'latency_ms' : 'ttft_ms';
    return `
  SELECT provider, model, COALESCE(deployment, '') AS deployment, ${metric} AS metric, ${latencyBinSql(column)} AS bin, COUNT(*) AS n
  FROM calls WHERE outcome = 'success' AND ${column} IS NOT NULL AND started_at >= @a AND started_at < @b
  GROUP BY provider, model, COALESCE(deployment, ''), bin`;
  })
  .join(' UNION ALL');

// The conversation-first primary key lets the GROUP BY stream; the sort keeps only the top rows.
const ROLLUP_TOP_CONVERSATIONS_SQL = `
  SELECT conversation_id AS conversationId, SUM(calls) AS calls, SUM(cost_usd) AS costUsd,
    SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens
  FROM usage_conversations WHERE day >= @r0 AND day < @r1
  GROUP BY conversation_id
  ORDER BY costUsd DESC, calls DESC, conversation_id
  LIMIT @limit`;
const ROLLUP_CONVERSATION_SQL = `
  SELECT COALESCE(SUM(calls), 0) AS calls, COALESCE(SUM(cost_usd), 0) AS costUsd,
    COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens
  FROM usage_conversations WHERE conversation_id = @id AND day >= @r0 AND day < @r1`;
const RAW_CONVERSATIONS_SQL = `
  SELECT conversation_id AS conversationId, COUNT(*) AS calls, SUM(COALESCE(cost_usd, 0)) AS costUsd,
    SUM(COALESCE(input_tokens, 0)) AS inputTokens, SUM(COALESCE(output_tokens, 0)) AS outputTokens
  FROM calls WHERE ${ENDED_IN('a', 'b')} AND conversation_id IS NOT NULL
  GROUP BY conversation_id`;

interface RawLatencyRow {
  provider: string;
  model: string;
  deployment: string;
  /** Comma-separated ms; null when none. */
  latencies: string | null;
  ttfts: string | null;
}

interface HistogramKey {
  provider: string;
  model: string;
  deployment: string;
  metric: number;
}

/** A block's bins of one deployment and metric: "bin:n,bin:n,…". */
interface BlockBinsRow extends HistogramKey {
  bins: string;
}

/** Histograms per deployment and metric, added up from blocks and raw calls (counts may go negative on the way). */
class Histograms {
  private readonly groups = new Map<string, { key: HistogramKey; counts: Map<number, number> }>();
  private counts(key: HistogramKey): Map<number, number> {
    const id = `${key.provider}\u0000${key.model}\u0000${key.deployment}\u0000${key.metric}`;
    let group = this.groups.get(id);
    if (group === undefined) {
      group = { key: { provider: key.provider, model: key.model, deployment: key.deployment, metric: key.metric }, counts: new Map() };
      this.groups.set(id, group);
    }
    return group.counts;
  }
  add(key: HistogramKey, bin: number, n: number): void {
    const counts = this.counts(key);
    counts.set(bin, (counts.get(bin) ?? 0) + n);
  }
  /** Adds a block's "bin:n,…" list. */
  addList(key: HistogramKey, list: string): void {
    const counts = this.counts(key);
    for (const pair of list.split(',')) {
      const colon = pair.indexOf(':');
      const bin = Number(pair.slice(0, colon));
      counts.set(bin, (counts.get(bin) ?? 0) + Number(pair.slice(colon + 1)));
    }
  }
  /** Every non-empty bin, sorted by deployment, metric and bin (what `percentiles` reads). */
  rows(): BinRow[] {
    const groups = [...this.groups.values()].sort(
      (x, y) => cmp(x.key.provider, y.key.provider) || cmp(x.key.model, y.key.model) || cmp(x.key.deployment, y.key.deployment) || x.key.metric - y.key.metric,
    );
    const rows: BinRow[] = [];
    for (const { key, counts } of groups) {
      // A typed array sorts numerically, without a comparator.
      for (const bin of Float64Array.from(counts.keys()).sort()) {
        const n = counts.get(bin) as number;
        // n is 0 for a bin the rest of a day took away entirely
        if (n !== 0) rows.push({ provider: key.provider, model: key.model, deployment: key.deployment, metric: key.metric, bin, n });
      }
    }
    return rows;
  }
}

interface BinRow {
  provider: string;
  model: string;
  deployment: string;
  metric: number;
  bin: number;
  n: number;
}

export function createUsageQueries(db: Database.Database): UsageQueries {
  const rollupSeries = db.prepare<Record<string, number>, SeriesPoint>(ROLLUP_SERIES_SQL);
  const rawSeries = db.prepare<Record<string, number>, SeriesPoint>(RAW_SERIES_SQL);
  const rollupTotals = db.prepare<Record<string, number>, DeploymentTotals>(ROLLUP_TOTALS_SQL);
  const rawTotals = db.prepare<Record<string, number>, DeploymentTotals>(RAW_TOTALS_SQL);
  const blockLatency = db.prepare<{ span: number; start: number }, BlockBinsRow>(BLOCK_LATENCY_SQL);
  const rawLatency = db.prepare<Record<string, number>, RawLatencyRow>(RAW_LATENCY_SQL);
  const rawLatencyBins = db.prepare<Record<string, number>, BinRow>(RAW_LATENCY_BINS_SQL);
  const rollupTopConversations = db.prepare<Record<string, number>, ConversationSums>(ROLLUP_TOP_CONVERSATIONS_SQL);
  const rollupConversation = db.prepare<{ id: string; r0: number; r1: number }, Omit<ConversationSums, 'conversationId'>>(ROLLUP_CONVERSATION_SQL);
  const rawConversations = db.prepare<Record<string, number>, ConversationSums>(RAW_CONVERSATIONS_SQL);
  const title = db.prepare<[string], string>('SELECT title FROM conversations WHERE id = ?').pluck();
  const exportRows = db.prepare<[number, number], ExportRow>(`
    SELECT calls.id, request_id, attempt, fallback_depth, conversation_id, conversations.title AS conversation_title,
      provider, calls.model AS model, deployment, outcome, error_kind, error_message,
      input_tokens, input_no_cache, input_cache_read, input_cache_write,
      output_tokens, output_text, output_reasoning, cost_usd, latency_ms, ttft_ms, started_at, ended_at, client
    FROM calls LEFT JOIN conversations ON conversations.id = calls.conversation_id
    WHERE outcome IS NOT NULL AND started_at >= ? AND started_at < ?
    ORDER BY started_at, calls.id`);
  const countEnded = db
    .prepare<[number, number], number>('SELECT COUNT(*) FROM calls WHERE outcome IS NOT NULL AND started_at >= ? AND started_at < ?')
    .pluck();
  const deleteEnded = db.prepare<[number, number]>('DELETE FROM calls WHERE outcome IS NOT NULL AND started_at >= ? AND started_at < ?');
  // Every process's kept spend reads this with its mark (spend-queries.ts).
  const countClear = db.prepare("UPDATE store_counters SET value = value + 1 WHERE name = 'calls_cleared'");
  const hasPending = db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM usage_pending)').pluck();
  const foldStatements = foldPendingSql().map((sql) => db.prepare(sql));
  const foldTransaction = db.transaction(() => {
    for (const statement of foldStatements) statement.run();
  });
  // Only takes the write lock when there is something to fold.
  const fold = () => {
    if (hasPending.get() === 1) foldTransaction.immediate();
  };
  const rebuild = rebuildRollupsSql().map((sql) => db.prepare<{ lo: number; hi: number }>(sql));
  const rebuildSpans = rebuildLatencySpansSql().map((sql) => db.prepare<{ lo: number; hi: number }>(sql));
  const rebuildBounds = rebuildConversationBoundsSql().map((sql) => db.prepare<{ lo: number; hi: number }>(sql));
  const topByBound = createTopConversationsByBound(db);

  /** The top list by grouping every conversation-day of the range: when the bounds do not separate it. */
  const topByGroup = (split: RangeParts, k: number): ConversationSums[] => {
    const days = { r0: split.r0, r1: split.r1 };
    // The edges (under a day each) touch few conversations: add them to their rollup totals. Any
    // other conversation is below the rollup's top (k + edge count) minus the edge ones, so the
    // top k of the union is exact.
    const edge = new Sums<ConversationSums>((r) => r.conversationId, ['calls', 'costUsd', 'inputTokens', 'outputTokens']);
    for (const [a, b] of [[split.l0, split.l1], [split.e0, split.e1]] as const) {
      if (a < b) for (const row of rawConversations.all({ a, b })) edge.add(row);
    }
    const edgeRows = edge.values();
    const all = new Sums<ConversationSums>((r) => r.conversationId, ['calls', 'costUsd', 'inputTokens', 'outputTokens']);
    const fromRollup = rollupTopConversations.all({ ...days, limit: k + edgeRows.length });
    const listed = new Set(fromRollup.map((r) => r.conversationId));
    for (const row of fromRollup) all.add(row);
    for (const row of edgeRows) {
      all.add(row);
      const rolled = listed.has(row.conversationId) ? undefined : rollupConversation.get({ id: row.conversationId, ...days });
      if (rolled !== undefined) all.add({ conversationId: row.conversationId, ...rolled });
    }
    return all.values().sort(byCost).slice(0, k);
  };
  const queries = {
    series: (q: Pick<DashboardQuery, 'from' | 'to' | 'bucketMs'>) => {
      const sums = new Sums<SeriesPoint>((r) => `${r.bucket}\u0000${r.provider}\u0000${r.model}`, ['calls', 'costUsd']);
      const params = { from: q.from, bucketMs: q.bucketMs };
      for (const piece of bucketPieces(q.from, q.to, q.bucketMs)) {
        const rows = piece.unit === 0 ? rawSeries.all({ ...params, a: piece.a, b: piece.b }) : rollupSeries.all({ ...params, ...piece });
        for (const row of rows) sums.add(row);
      }
      return sums.values().sort((x, y) => x.bucket - y.bucket || cmp(x.provider, y.provider) || cmp(x.model, y.model));
    },
    totals: (q: Pick<DashboardQuery, 'from' | 'to'>) => {
      const sums = new Sums<DeploymentTotals>((r) => `${r.provider}\u0000${r.model}\u0000${r.deployment}`, TOTAL_KEYS);
      for (const piece of bucketPieces(q.from, q.to, Math.max(1, q.to - q.from))) {
        const rows = piece.unit === 0 ? rawTotals.all({ a: piece.a, b: piece.b }) : rollupTotals.all({ ...piece });
        for (const row of rows) sums.add(row);
      }
      return sums.values().sort((x, y) => cmp(x.provider, y.provider) || cmp(x.model, y.model) || cmp(x.deployment, y.deployment));
    },
    latency: (q: Pick<DashboardQuery, 'from' | 'to'>) => {
      const split = splitRange(q.from, q.to, DAY_MS);
      const histograms = new Histograms();
      const addBlock = (span: number, start: number) => {
        for (const row of blockLatency.all({ span, start })) histograms.addList(row, row.bins);
      };
      for (const piece of split.r0 < split.r1 ? spanPieces(split.r0, split.r1) : []) {
        for (let start = piece.a; start < piece.b; start += piece.span) addBlock(piece.span, start);
      }
      for (const [a, b] of [[split.l0, split.l1], [split.e0, split.e1]] as const) {
        if (a >= b) continue;
        const day = Math.floor(a / DAY_MS) * DAY_MS;
        if (b <= day + DAY_MS && DAY_MS - (b - a) < b - a) {
          addBlock(DAY_MS, day);
          for (const [c, d] of [[day, a], [b, day + DAY_MS]] as const) {
            if (c < d) for (const row of rawLatencyBins.all({ a: c, b: d })) histograms.add(row, row.bin, -row.n);
          }
          continue;
        }
        for (const { provider, model, deployment, latencies, ttfts } of rawLatency.all({ a, b })) {
          const lists: [number, string | null][] = [[METRIC_LATENCY, latencies], [METRIC_TTFT, ttfts]];
          for (const [metric, list] of lists) {
            if (list !== null) for (const ms of list.split(',')) histograms.add({ provider, model, deployment, metric }, latencyBin(Number(ms)), 1);
          }
        }
      }
      return percentiles(histograms.rows());
    },
    topConversations: (q: Pick<DashboardQuery, 'from' | 'to' | 'topConversations'>): ConversationCost[] => {
      const split = splitRange(q.from, q.to, DAY_MS);
      const top = topByBound(q, split, q.topConversations) ?? topByGroup(split, q.topConversations);
      return top.map((r) => ({ ...r, title: title.get(r.conversationId) ?? null }));
    },
  };
  const read = db.transaction(
    (q: DashboardQuery): DashboardAggregates => ({
      series: queries.series(q),
      totals: queries.totals(q),
      latency: queries.latency(q),
      topConversations: queries.topConversations(q),
    }),
  );

  return {
    series: (q) => (fold(), queries.series(q)),
    totals: (q) => (fold(), queries.totals(q)),
    latency: (q) => (fold(), queries.latency(q)),
    topConversations: (q) => (fold(), queries.topConversations(q)),
    // Deferred: every query of one dashboard reads the same snapshot, and a writer is never blocked (WAL).
    dashboard: (query) => {
      fold();
      return read.deferred(query);
    },
    exportRows: ({ from, to }) => exportRows.iterate(from, to),
    countEnded: ({ from, to }) => countEnded.get(from, to) ?? 0,
    clear: db.transaction(({ from, to }: { from?: number | undefined; to?: number | undefined }) => {
      // Queued calls first: the rebuild below must not count one of them twice.
      for (const statement of foldStatements) statement.run();
      const lo = from ?? MIN_TIME;
      const hi = to ?? MAX_TIME;
      const deleted = deleteEnded.run(lo, hi).changes;
      if (deleted > 0) countClear.run();
      // Rebuild whole days around the range, so no rollup row is left half cleared.
      const d0 = from === undefined ? MIN_TIME : Math.floor(from / DAY_MS) * DAY_MS;
      const d1 = to === undefined ? MAX_TIME : Math.ceil(to / DAY_MS) * DAY_MS;
      for (const statement of rebuild) statement.run({ lo: d0, hi: d1 });
      // Then the day blocks around those days, from the daily histograms just rebuilt.
      for (const statement of rebuildSpans) statement.run(spanBounds(d0, d1));
      // And the cost bounds of the conversations on those days (they only ever err high).
      for (const statement of rebuildBounds) statement.run({ lo: d0, hi: d1 });
      return deleted;
    }),
  };
}

/** A run of time [a, b) read at one rollup unit (0: from `calls` itself). */
export interface Piece {
  unit: number;
  a: number;
  b: number;
}

/**
 * Cuts [from, to) into pieces that each lie inside one bucket and are read at the coarsest rollup
 * unit that fits (a whole UTC day, else whole hours, else 15-minute slots, else raw rows), then
 * joins touching pieces of the same unit so each becomes one index range scan.
 */
export function bucketPieces(from: number, to: number, bucketMs: number): Piece[] {
  const byUnit = new Map<number, Piece[]>();
  const push = (unit: number, a: number, b: number) => {
    if (a >= b) return;
    const list = byUnit.get(unit) ?? [];
    const last = list.at(-1);
    if (last !== undefined && last.b === a) last.b = b;
    else list.push({ unit, a, b });
    byUnit.set(unit, list);
  };
  const cut = (a: number, b: number, level: number) => {
    const unit = ROLLUP_UNITS[level];
    if (unit === undefined) return push(0, a, b);
    const c0 = Math.ceil(a / unit) * unit;
    const c1 = Math.floor(b / unit) * unit;
    if (c0 >= c1) return cut(a, b, level + 1);
    cut(a, c0, level + 1);
    push(unit, c0, c1);
    cut(c1, b, level + 1);
  };
  for (let start = from; start < to; start += bucketMs) cut(start, Math.min(to, start + bucketMs), 0);
  return [...byUnit.values()].flat();
}

const TOTAL_KEYS = ['calls', 'successes', 'errors', 'aborted', 'costed', 'costUsd', 'inputTokens', 'outputTokens',
  'inputNoCache', 'cacheRead', 'cacheWrite', 'outputText', 'reasoning'] as const;

/** Adds up rows with the same key read from different pieces of a range. */
class Sums<T extends object> {
  private readonly rows = new Map<string, T>();
  constructor(
    private readonly keyOf: (row: T) => string,
    private readonly fields: readonly (keyof T)[],
  ) {}
  add(row: T): void {
    const key = this.keyOf(row);
    const seen = this.rows.get(key);
    if (seen === undefined) {
      this.rows.set(key, { ...row });
      return;
    }
    for (const f of this.fields) (seen[f] as number) += row[f] as number;
  }
  values(): T[] {
    return [...this.rows.values()];
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Nearest-rank percentiles per deployment from histogram rows sorted by deployment, metric, bin. */
function percentiles(rows: readonly BinRow[]): LatencyHistogram[] {
  const out = new Map<string, LatencyHistogram>();
  let i = 0;
  while (i < rows.length) {
    const first = rows[i] as BinRow;
    let j = i;
    let total = 0;
    while (j < rows.length && sameGroup(rows[j] as BinRow, first)) total += (rows[j++] as BinRow).n;
    const key = `${first.provider}\u0000${first.model}\u0000${first.deployment}`;
    const entry = out.get(key) ?? {
      provider: first.provider,
      model: first.model,
      deployment: first.deployment,
      p50LatencyMs: null,
      p95LatencyMs: null,
      p50TtftMs: null,
      p95TtftMs: null,
    };
    const p50 = rankValue(rows, i, j, Math.ceil(total * 0.5));
    const p95 = rankValue(rows, i, j, Math.ceil(total * 0.95));
    if (first.metric === METRIC_LATENCY) Object.assign(entry, { p50LatencyMs: p50, p95LatencyMs: p95 });
    else Object.assign(entry, { p50TtftMs: p50, p95TtftMs: p95 });
    out.set(key, entry);
    i = j;
  }
  return [...out.values()];
}

function sameGroup(a: BinRow, b: BinRow): boolean {
  return a.provider === b.provider && a.model === b.model && a.deployment === b.deployment && a.metric === b.metric;
}

/** The value of the `rank`-th smallest sample (1-based) among rows[start, end). */
function rankValue(rows: readonly BinRow[], start: number, end: number, rank: number): number {
  let seen = 0;
  for (let k = start; k < end; k++) {
    const row = rows[k] as BinRow;
    seen += row.n;
    if (seen >= rank) return latencyBinValue(row.bin);
  }
  return latencyBinValue((rows[end - 1] as BinRow).bin);
}

/** The statements, for `EXPLAIN QUERY PLAN` in tests and investigations. */
export const DASHBOARD_SQL = {
  rollupSeries: ROLLUP_SERIES_SQL,
  rawSeries: RAW_SERIES_SQL,
  rollupTotals: ROLLUP_TOTALS_SQL,
  rawTotals: RAW_TOTALS_SQL,
  blockLatency: BLOCK_LATENCY_SQL,
  rawLatency: RAW_LATENCY_SQL,
  rawLatencyBins: RAW_LATENCY_BINS_SQL,
  rollupTopConversations: ROLLUP_TOP_CONVERSATIONS_SQL,
  rawConversations: RAW_CONVERSATIONS_SQL,
} as const;
