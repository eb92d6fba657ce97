/**
 * The dashboard's pre-aggregation. Reading a month of raw `calls` rows (hundreds of thousands at
 * heavy use) for every chart takes hundreds of milliseconds; these rollups keep totals per time
 * unit and deployment instead, so a dashboard query reads thousands of rows. A trigger queues each
 * call that ends (`usage_pending`); the queue is folded into the rollups, in one transaction,
 * before the dashboard reads. Rows in flight (outcome NULL) never enter them.
 *
 * - `usage_rollup`: counts, cost and tokens by kind per provider × model × deployment, at three
 *   granularities (`unit`: 15 minutes, an hour, a UTC day). A range is read from the coarsest units
 *   that fit inside its buckets (a local day is an hour-aligned run of hours in most time zones; 15
 *   minutes divides every zone's offset), so 90 days of heavy use is a few thousand rows.
 * - `usage_latency`: a log-binned histogram of latency and TTFT of successful calls per UTC day ×
 *   deployment, from which p50/p95 are read (see `latencyBinValue`: within 3%, exact below 32 ms).
 * - `usage_conversations`: calls, cost and tokens per UTC day × conversation.
 * - `usage_conversation_bounds`: per conversation its first and last day and a bound on its cost,
 *   which the top list is read by (a later migration, at the end of this file).
 *
 * The parts of a range shorter than the finest unit a rollup has are read from `calls` directly.
 *
 * CAUTION: `USAGE_ROLLUP_MIGRATION` (and the later migrations here) are built from the strings
 * below. Once shipped, a change here changes a shipped migration: copy the old text into the
 * migration before editing.
 */

export const SLOT_MS = 15 * 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** The granularities of `usage_rollup`, coarsest first. */
export const ROLLUP_UNITS = [DAY_MS, HOUR_MS, SLOT_MS] as const;
const UNITS_SQL = `(${ROLLUP_UNITS.map((u) => `SELECT ${u} AS unit`).join(' UNION ALL ')}) AS units`;

/** Latencies below this are their own bin (exact); above it bins grow by `LATENCY_BIN_RATIO`. */
export const LATENCY_EXACT_BELOW = 32;
export const LATENCY_BIN_RATIO = 1.06;
/** `ln(1.06)`, written out so SQL and JS divide by the same number. */
const LN_RATIO = 0.058268908123975824;

/** SQL: the histogram bin of a latency in ms (`v` is a column expression, known not NULL). */
export function latencyBinSql(v: string): string {
  return `CASE WHEN ${v} < ${LATENCY_EXACT_BELOW} THEN ${v} ELSE ${LATENCY_EXACT_BELOW} + CAST(ln(${v} / ${LATENCY_EXACT_BELOW}.0) / ${LN_RATIO} AS INTEGER) END`;
}

/** The value a bin stands for: itself below 32 ms, else the geometric middle of its bounds (≤ 3% off). */
/** The same bin in JS, for rows read from `calls` directly. */
export function latencyBin(ms: number): number {
  return ms < LATENCY_EXACT_BELOW ? ms : LATENCY_EXACT_BELOW + Math.trunc(Math.log(ms / LATENCY_EXACT_BELOW) / LN_RATIO);
}

export function latencyBinValue(bin: number): number {
  if (bin < LATENCY_EXACT_BELOW) return bin;
  const lower = LATENCY_EXACT_BELOW * LATENCY_BIN_RATIO ** (bin - LATENCY_EXACT_BELOW);
  return Math.round(lower * Math.sqrt(LATENCY_BIN_RATIO));
}

// Token counts by kind, from one row of `calls` (prefix `NEW.` in triggers, '' in selects).
// Unknown counts add nothing; a missing split is derived from the totals the way computeCost does.
function kinds(p: string) {
  return {
    inputTokens: `COALESCE(${p}input_tokens, 0)`,
    outputTokens: `COALESCE(${p}output_tokens, 0)`,
    inputNoCache: `COALESCE(${p}input_no_cache, ${p}input_tokens - COALESCE(${p}input_cache_read, 0) - COALESCE(${p}input_cache_write, 0), 0)`,
    cacheRead: `COALESCE(${p}input_cache_read, 0)`,
    cacheWrite: `COALESCE(${p}input_cache_write, 0)`,
    outputText: `COALESCE(${p}output_text, ${p}output_tokens - COALESCE(${p}output_reasoning, 0), 0)`,
    reasoning: `COALESCE(${p}output_reasoning, 0)`,
  };
}

const SLOT_COLUMNS = `unit, start, provider, model, deployment, calls, successes, errors, aborted, costed, cost_usd,
  input_tokens, output_tokens, input_no_cache, cache_read, cache_write, output_text, output_reasoning`;
const SLOT_SUMS = ['calls', 'successes', 'errors', 'aborted', 'costed', 'cost_usd', 'input_tokens', 'output_tokens',
  'input_no_cache', 'cache_read', 'cache_write', 'output_text', 'output_reasoning'];
const ADD_SLOT_SUMS = SLOT_SUMS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');

/** Values for one rollup row from a `calls` row (`p` = 'NEW.' or '') joined with UNITS_SQL, aggregated when `agg`. */
function slotValues(p: string, agg: boolean): string {
  return ['units.unit', `${p}started_at - ${p}started_at % units.unit`, slotMeasures(p, agg)].join(', ');
}

/** The rollup columns after `unit, start`, from `calls` rows (aggregated when `agg`; `AS name` when `named`). */
export function slotMeasures(p: string, agg: boolean, named = false): string {
  const k = kinds(p);
  const s = (e: string) => (agg ? `SUM(${e})` : e);
  const columns: [string, string][] = [
    ['provider', `${p}provider`],
    ['model', `${p}model`],
    ['deployment', `COALESCE(${p}deployment, '')`],
    ['calls', agg ? 'COUNT(*)' : '1'],
    ['successes', s(`${p}outcome IN ('success', 'cache_hit')`)],
    ['errors', s(`${p}outcome = 'error'`)],
    ['aborted', s(`${p}outcome = 'aborted'`)],
    ['costed', s(`${p}cost_usd IS NOT NULL`)],
    ['cost_usd', s(`COALESCE(${p}cost_usd, 0)`)],
    ['input_tokens', s(k.inputTokens)],
    ['output_tokens', s(k.outputTokens)],
    ['input_no_cache', s(k.inputNoCache)],
    ['cache_read', s(k.cacheRead)],
    ['cache_write', s(k.cacheWrite)],
    ['output_text', s(k.outputText)],
    ['output_reasoning', s(k.reasoning)],
  ];
  return columns.map(([name, e]) => (named ? `${e} AS ${name}` : e)).join(', ');
}

const CONVERSATION_COLUMNS = 'day, conversation_id, calls, cost_usd, input_tokens, output_tokens';

function conversationValues(p: string, agg: boolean): string {
  const k = kinds(p);
  const s = (e: string) => (agg ? `SUM(${e})` : e);
  return [
    `${p}started_at - ${p}started_at % ${DAY_MS}`,
    `${p}conversation_id`,
    agg ? 'COUNT(*)' : '1',
    s(`COALESCE(${p}cost_usd, 0)`),
    s(k.inputTokens),
    s(k.outputTokens),
  ].join(', ');
}

const LATENCY_COLUMNS = 'day, provider, model, deployment, metric, bin, n';
/** `metric` 0 is latency, 1 is time to first token. */
export const METRIC_LATENCY = 0;
export const METRIC_TTFT = 1;

function latencyValues(p: string, column: 'latency_ms' | 'ttft_ms', agg: boolean): string {
  return [
    `${p}started_at - ${p}started_at % ${DAY_MS}`,
    `${p}provider`,
    `${p}model`,
    `COALESCE(${p}deployment, '')`,
    column === 'latency_ms' ? String(METRIC_LATENCY) : String(METRIC_TTFT),
    latencyBinSql(`${p}${column}`),
    agg ? 'COUNT(*)' : '1',
  ].join(', ');
}

/**
 * Folds the calls that ended since the last fold (`usage_pending`) into every rollup, and empties
 * the queue. Run in one transaction before the dashboard reads. Batching this keeps the cost of
 * recording a call to one appended row: updating six rollup rows per call would dirty six more
 * pages in every commit.
 */
export function foldPendingSql(): string[] {
  const from = 'FROM usage_pending JOIN calls ON calls.id = usage_pending.call_id';
  const ended = 'WHERE calls.outcome IS NOT NULL';
  return [
    `INSERT INTO usage_rollup (${SLOT_COLUMNS}) SELECT ${slotValues('calls.', true)} ${from}, ${UNITS_SQL} ${ended}
      GROUP BY 1, 2, 3, 4, 5
      ON CONFLICT DO UPDATE SET ${ADD_SLOT_SUMS}`,
    `INSERT INTO usage_conversations (${CONVERSATION_COLUMNS}) SELECT ${conversationValues('calls.', true)} ${from}
      ${ended} AND calls.conversation_id IS NOT NULL GROUP BY 1, 2
      ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, cost_usd = cost_usd + excluded.cost_usd,
        input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens`,
    `INSERT INTO usage_latency (${LATENCY_COLUMNS}) SELECT ${latencyValues('calls.', 'latency_ms', true)} ${from}
      ${ended} AND calls.outcome = 'success' AND calls.latency_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 6
      ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    `INSERT INTO usage_latency (${LATENCY_COLUMNS}) SELECT ${latencyValues('calls.', 'ttft_ms', true)} ${from}
      ${ended} AND calls.outcome = 'success' AND calls.ttft_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 6
      ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    ...foldLatencySpansSql(from),
    foldConversationBoundsSql(from),
    'DELETE FROM usage_pending',
  ];
}

/**
 * Rebuilds every rollup from the ended `calls` rows with `started_at` in [@lo, @hi). The bounds must
 * be whole UTC days (or ±infinity) so no rollup row is half inside. Used after a partial clear
 * (and, unbounded, to fill the rollups when the migration runs on an existing database).
 */
export function rebuildRollupsSql(): string[] {
  const where = `WHERE outcome IS NOT NULL AND started_at >= @lo AND started_at < @hi`;
  return [
    'DELETE FROM usage_rollup WHERE start >= @lo AND start < @hi',
    'DELETE FROM usage_conversations WHERE day >= @lo AND day < @hi',
    'DELETE FROM usage_latency WHERE day >= @lo AND day < @hi',
    `INSERT INTO usage_rollup (${SLOT_COLUMNS}) SELECT ${slotValues('', true)} FROM calls, ${UNITS_SQL} ${where}
      GROUP BY 1, 2, 3, 4, 5`,
    `INSERT INTO usage_conversations (${CONVERSATION_COLUMNS}) SELECT ${conversationValues('', true)} FROM calls
      ${where} AND conversation_id IS NOT NULL GROUP BY 1, 2`,
    `INSERT INTO usage_latency (${LATENCY_COLUMNS}) SELECT ${latencyValues('', 'latency_ms', true)} FROM calls
      ${where} AND outcome = 'success' AND latency_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 6`,
    `INSERT INTO usage_latency (${LATENCY_COLUMNS}) SELECT ${latencyValues('', 'ttft_ms', true)} FROM calls
      ${where} AND outcome = 'success' AND ttft_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 6`,
  ];
}

/**
 * The block lengths of `usage_latency_span`, longest first: powers of two from 64 days to one.
 * Blocks start at multiples of their length (epoch-aligned, so every block is whole UTC days). A
 * range of whole days is read from the longest blocks that fit (`spanPieces`): the bench's 90 days
 * is 8 blocks (~10k rows) instead of 90 daily histograms (~97k rows), and grouping those rows is
 * what a latency read spends its time on. (64/16/4/1 gave ~14k rows; each level adds fold work.)
 */
export const LATENCY_SPANS = [64 * DAY_MS, 32 * DAY_MS, 16 * DAY_MS, 8 * DAY_MS, 4 * DAY_MS, 2 * DAY_MS, DAY_MS] as const;
const SPANS_SQL = `(${LATENCY_SPANS.map((u) => `SELECT ${u} AS span`).join(' UNION ALL ')}) AS spans`;
const LATENCY_SPAN_COLUMNS = 'span, start, provider, model, deployment, metric, bin, n';

/** Fold statements for `usage_latency_span` (part of `foldPendingSql`, before the queue is emptied). */
function foldLatencySpansSql(from: string): string[] {
  return (['latency_ms', 'ttft_ms'] as const).map(
    (column) => `INSERT INTO usage_latency_span (${LATENCY_SPAN_COLUMNS})
      SELECT spans.span, calls.started_at - calls.started_at % spans.span, calls.provider, calls.model,
        COALESCE(calls.deployment, ''), ${column === 'latency_ms' ? METRIC_LATENCY : METRIC_TTFT}, ${latencyBinSql(`calls.${column}`)}, COUNT(*)
      ${from}, ${SPANS_SQL} WHERE calls.outcome = 'success' AND calls.${column} IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 7
      ON CONFLICT DO UPDATE SET n = n + excluded.n`,
  );
}

/**
 * Rebuilds the blocks of `usage_latency_span` with `start` in [@lo, @hi) from the daily histograms
 * (`usage_latency`), which must already be right for those days. @lo and @hi must be multiples of
 * the longest span (or ±infinity), so no block is half inside: see `spanBounds`.
 */
export function rebuildLatencySpansSql(): string[] {
  return [
    'DELETE FROM usage_latency_span WHERE start >= @lo AND start < @hi',
    `INSERT INTO usage_latency_span (${LATENCY_SPAN_COLUMNS})
      SELECT spans.span, day - day % spans.span, provider, model, deployment, metric, bin, SUM(n)
      FROM usage_latency, ${SPANS_SQL} WHERE day >= @lo AND day < @hi GROUP BY 1, 2, 3, 4, 5, 6, 7`,
  ];
}

/** [lo, hi) widened to whole blocks of the longest span; an unbounded end stays unbounded. */
export function spanBounds(lo: number, hi: number): { lo: number; hi: number } {
  const longest = LATENCY_SPANS[0];
  return {
    lo: lo <= MIN_TIME ? MIN_TIME : Math.floor(lo / longest) * longest,
    hi: hi >= MAX_TIME ? MAX_TIME : Math.ceil(hi / longest) * longest,
  };
}

/** A run of blocks [a, b) of one span length. */
export interface SpanPiece {
  span: number;
  a: number;
  b: number;
}

/**
 * Cuts a range of whole UTC days [r0, r1) into runs of blocks, the longest blocks that fit first.
 * Each span gets at most two runs (one each side of the longer blocks), so a query can take a fixed
 * number of ranges (`LATENCY_SPANS.length × 2`).
 */
export function spanPieces(r0: number, r1: number): SpanPiece[] {
  const pieces: SpanPiece[] = [];
  const cut = (a: number, b: number, level: number) => {
    const span = LATENCY_SPANS[level];
    if (a >= b || span === undefined) return;
    const c0 = Math.ceil(a / span) * span;
    const c1 = Math.floor(b / span) * span;
    if (c0 >= c1) return cut(a, b, level + 1);
    cut(a, c0, level + 1);
    pieces.push({ span, a: c0, b: c1 });
    cut(c1, b, level + 1);
  };
  cut(r0, r1, 0);
  return pieces;
}

/** Widest integers SQLite holds: an unbounded end of a range. */
export const MIN_TIME = -9_007_199_254_740_991;
export const MAX_TIME = 9_007_199_254_740_991;

export const USAGE_ROLLUP_MIGRATION = {
  name: 'usage rollups for the dashboard (15-minute, hourly and daily totals; daily latency histograms and conversation totals)',
  sql: `
    CREATE TABLE usage_rollup (
      unit              INTEGER NOT NULL,  -- its length, ms: 15 minutes, an hour or a UTC day
      start             INTEGER NOT NULL,  -- epoch ms, a multiple of unit
      provider          TEXT NOT NULL,
      model             TEXT NOT NULL,
      deployment        TEXT NOT NULL,     -- '' when the call had none
      calls             INTEGER NOT NULL,
      successes         INTEGER NOT NULL,  -- success or cache_hit
      errors            INTEGER NOT NULL,
      aborted           INTEGER NOT NULL,
      costed            INTEGER NOT NULL,  -- calls whose cost is known
      cost_usd          REAL NOT NULL,
      input_tokens      INTEGER NOT NULL,
      output_tokens     INTEGER NOT NULL,
      input_no_cache    INTEGER NOT NULL,
      cache_read        INTEGER NOT NULL,
      cache_write       INTEGER NOT NULL,
      output_text       INTEGER NOT NULL,
      output_reasoning  INTEGER NOT NULL,
      PRIMARY KEY (unit, start, provider, model, deployment)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE usage_conversations (
      day              INTEGER NOT NULL,   -- start of the UTC day, epoch ms
      conversation_id  TEXT NOT NULL,
      calls            INTEGER NOT NULL,
      cost_usd         REAL NOT NULL,
      input_tokens     INTEGER NOT NULL,
      output_tokens    INTEGER NOT NULL,
      -- the conversation first: the top list sums each one's days in index order
      PRIMARY KEY (conversation_id, day)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE usage_latency (
      day         INTEGER NOT NULL,
      provider    TEXT NOT NULL,
      model       TEXT NOT NULL,
      deployment  TEXT NOT NULL,
      metric      INTEGER NOT NULL,        -- 0 latency, 1 time to first token
      bin         INTEGER NOT NULL,
      n           INTEGER NOT NULL,
      -- the group first: the dashboard sums bins per deployment in index order
      PRIMARY KEY (provider, model, deployment, metric, bin, day)
    ) STRICT, WITHOUT ROWID;

    -- calls that ended and are not in the rollups yet (see foldPendingSql)
    CREATE TABLE usage_pending (call_id TEXT NOT NULL) STRICT;
    CREATE TRIGGER calls_rollup_insert AFTER INSERT ON calls WHEN NEW.outcome IS NOT NULL
    BEGIN INSERT INTO usage_pending (call_id) VALUES (NEW.id); END;
    CREATE TRIGGER calls_rollup_finish AFTER UPDATE OF outcome ON calls
      WHEN OLD.outcome IS NULL AND NEW.outcome IS NOT NULL
    BEGIN INSERT INTO usage_pending (call_id) VALUES (NEW.id); END;
    -- a deleted conversation leaves the top list (its calls stay, with conversation_id NULL)
    CREATE TRIGGER conversations_rollup_delete AFTER DELETE ON conversations
    BEGIN DELETE FROM usage_conversations WHERE conversation_id = OLD.id; END;

    -- what the dashboard reads from calls directly (range edges shorter than a rollup unit)
    CREATE INDEX calls_ended ON calls (
      started_at, outcome, provider, model, deployment, conversation_id, latency_ms, ttft_ms, cost_usd, input_tokens, output_tokens
    ) WHERE outcome IS NOT NULL;

    ${rebuildRollupsSql()
      .map((sql) => sql.replaceAll('@lo', String(MIN_TIME)).replaceAll('@hi', String(MAX_TIME)))
      .join(';\n')};
  `,
};


/**
 * The latency histograms again per block of 1, 2, 4 … 64 days (`LATENCY_SPANS`), filled from the
 * daily ones. A later migration than `USAGE_ROLLUP_MIGRATION`: its text is shipped, do not edit it.
 */
export const LATENCY_SPAN_MIGRATION = {
  name: 'usage_latency_span: latency histograms per block of 1, 2, 4 … 64 days, so a long range reads a few blocks',
  sql: `
    CREATE TABLE usage_latency_span (
      span        INTEGER NOT NULL,        -- the block's length, ms: 1, 2, 4, 8, 16, 32 or 64 UTC days
      start       INTEGER NOT NULL,        -- epoch ms, a multiple of span
      provider    TEXT NOT NULL,
      model       TEXT NOT NULL,
      deployment  TEXT NOT NULL,
      metric      INTEGER NOT NULL,        -- 0 latency, 1 time to first token
      bin         INTEGER NOT NULL,
      n           INTEGER NOT NULL,
      -- the blocks first: a read takes a few ranges of blocks and groups their rows
      PRIMARY KEY (span, start, provider, model, deployment, metric, bin)
    ) STRICT, WITHOUT ROWID;
    ${rebuildLatencySpansSql()
      .map((sql) => sql.replaceAll('@lo', String(MIN_TIME)).replaceAll('@hi', String(MAX_TIME)))
      .join(';\n')};
  `,
};

/**
 * Per conversation: the UTC days of its first and last ended call, and an upper bound on what any
 * range of its calls can cost (the sum of its calls' costs, negative ones counted as 0). The top
 * list reads conversations by this bound, most first, and stops once the top k it has summed
 * exactly cost more than the next bound: at 1M calls it sums a few dozen instead of grouping every
 * conversation's days (`usage-top-conversations.ts`). A bound is only ever too high, never too
 * low: a clear may leave it high until `rebuildConversationBoundsSql` runs over the cleared days.
 */
const CONVERSATION_BOUND_COLUMNS = 'conversation_id, first_day, last_day, cost_bound';
const CONVERSATION_BOUND_VALUES = (p: string) =>
  `${p}conversation_id, MIN(${p}started_at - ${p}started_at % ${DAY_MS}), MAX(${p}started_at - ${p}started_at % ${DAY_MS}), SUM(MAX(COALESCE(${p}cost_usd, 0), 0))`;

/** The fold statement for `usage_conversation_bounds` (part of `foldPendingSql`). */
function foldConversationBoundsSql(from: string): string {
  return `INSERT INTO usage_conversation_bounds (${CONVERSATION_BOUND_COLUMNS})
      SELECT ${CONVERSATION_BOUND_VALUES('calls.')} ${from}
      WHERE calls.outcome IS NOT NULL AND calls.conversation_id IS NOT NULL GROUP BY calls.conversation_id
      ON CONFLICT DO UPDATE SET first_day = MIN(first_day, excluded.first_day), last_day = MAX(last_day, excluded.last_day),
        cost_bound = cost_bound + excluded.cost_bound`;
}

/**
 * Recomputes the bounds of the conversations with a day in [@lo, @hi) from their ended calls (after
 * a clear, with the queue folded), and drops those left without any.
 */
export function rebuildConversationBoundsSql(): string[] {
  const touched = 'last_day >= @lo AND first_day < @hi';
  return [
    `INSERT OR REPLACE INTO usage_conversation_bounds (${CONVERSATION_BOUND_COLUMNS})
      SELECT ${CONVERSATION_BOUND_VALUES('')} FROM calls
      WHERE outcome IS NOT NULL AND conversation_id IN (SELECT conversation_id FROM usage_conversation_bounds WHERE ${touched})
      GROUP BY conversation_id`,
    `DELETE FROM usage_conversation_bounds WHERE ${touched} AND NOT EXISTS (
      SELECT 1 FROM calls WHERE calls.conversation_id = usage_conversation_bounds.conversation_id AND calls.outcome IS NOT NULL)`,
  ];
}

/**
 * `usage_conversation_bounds`, filled from the ended calls already folded (the queued ones are
 * added by the next fold). A later migration than `LATENCY_SPAN_MIGRATION`: once shipped, its
 * text must not change.
 */
export const CONVERSATION_BOUNDS_MIGRATION = {
  name: 'usage_conversation_bounds: per conversation its first and last day and a bound on its cost, for the top list',
  sql: `
    CREATE TABLE usage_conversation_bounds (
      conversation_id  TEXT PRIMARY KEY,
      first_day        INTEGER NOT NULL,   -- start of the UTC day of its first ended call, epoch ms
      last_day         INTEGER NOT NULL,   -- and of its last
      cost_bound       REAL NOT NULL       -- sum of its calls' costs, negative ones as 0: no range costs more
    ) STRICT, WITHOUT ROWID;
    -- the top list reads the conversations of a range by bound, most first
    CREATE INDEX usage_conversation_bounds_by_cost ON usage_conversation_bounds (cost_bound, last_day, first_day);
    -- a deleted conversation leaves the top list (as in usage_conversations)
    CREATE TRIGGER conversations_bounds_delete AFTER DELETE ON conversations
    BEGIN DELETE FROM usage_conversation_bounds WHERE conversation_id = OLD.id; END;
    INSERT INTO usage_conversation_bounds (${CONVERSATION_BOUND_COLUMNS})
      SELECT ${CONVERSATION_BOUND_VALUES('')} FROM calls
      WHERE outcome IS NOT NULL AND conversation_id IS NOT NULL AND id NOT IN (SELECT call_id FROM usage_pending)
      GROUP BY conversation_id;
  `,
};
