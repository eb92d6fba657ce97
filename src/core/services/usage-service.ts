import { type DeploymentHealthInfo } from '../../shared/contract/health';
import {
  type DeploymentUsage,
  type SavingsModel,
  type SpendSeries,
  type TokenKindsInfo,
  type UsageBucket,
  type UsageDashboard,
} from '../../shared/contract/usage';
import { type UsageSummary } from '../../shared/domain';
import { ContractFailure } from '../api/contract-failure';
import { type Catalog, type CatalogEntry, computeCost } from '../catalog';
import { type DeploymentTotals, type ExportRow, type Store, type TimeRange } from '../store';
import { csvRecord } from './usage-csv';

export interface DashboardInput {
  from: number;
  to: number;
  bucket?: UsageBucket | undefined;
  savingsModel?: string | undefined;
  top?: number | undefined;
}

export interface UsageService {
  /** Totals, counts by outcome and totals by provider and model, over [from, to). */
  summary(range: TimeRange): UsageSummary;
  /** Everything the cost dashboard shows over [from, to). */
  dashboard(input: DashboardInput): UsageDashboard;
  /** The ended calls of [from, to) as RFC 4180 CSV, oldest first. */
  exportCsv(range: { from: number; to: number }): { filename: string; csv: string; rows: number };
  /** Deletes the ended calls of the range (all without one); calls in flight stay. */
  clear(range: TimeRange): { deleted: number };
}

export interface UsageServiceDeps {
  /** Prices for the local-savings figure; without it there are no savings to show. */
  catalog?: Catalog | undefined;
  /** The router's live health, for each deployment's breaker state. */
  breakers?: (() => DeploymentHealthInfo[]) | undefined;
}

export const BUCKET_MS: Record<UsageBucket, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };
/** More points than this is no longer a readable chart (and a slow query): ask for a wider bucket. */
export const MAX_BUCKETS = 1_000;
/** An export past this many rows is refused with a message to narrow the range (it goes over IPC as one string). */
export const MAX_EXPORT_ROWS = 250_000;
export const DEFAULT_SAVINGS_MODEL = 'openai/gpt-4o-mini';

/** Hours up to 2 days, days up to 60 days, weeks beyond. */
export function defaultBucket(from: number, to: number): UsageBucket {
  const span = to - from;
  if (span <= 2 * BUCKET_MS.day) return 'hour';
  if (span <= 60 * BUCKET_MS.day) return 'day';
  return 'week';
}

export function createUsageService(store: Store, deps: UsageServiceDeps = {}): UsageService {
  const candidates = deps.catalog === undefined ? [] : savingsCandidates(deps.catalog);

  return {
    summary(range) {
      if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
        throw new ContractFailure('VALIDATION_FAILED', `usage range starts (${range.from}) after it ends (${range.to})`);
      }
      return store.calls.summary(range);
    },

    dashboard(input) {
      checkRange(input.from, input.to);
      const bucket = input.bucket ?? defaultBucket(input.from, input.to);
      const bucketMs = BUCKET_MS[bucket];
      const buckets = Math.ceil((input.to - input.from) / bucketMs);
      if (buckets > MAX_BUCKETS) {
        throw new ContractFailure(
          'VALIDATION_FAILED',
          `bucket '${bucket}' over this range makes ${buckets} points, more than ${MAX_BUCKETS}: choose a wider bucket (day or week) or a shorter range`,
        );
      }
      const savingsRef = input.savingsModel ?? DEFAULT_SAVINGS_MODEL;
      const savingsEntry = resolveSavingsModel(deps.catalog, savingsRef, input.savingsModel !== undefined);

      const data = store.usage.dashboard({ from: input.from, to: input.to, bucketMs, topConversations: input.top ?? 10 });
      const starts = Array.from({ length: buckets }, (_, i) => input.from + i * bucketMs);
      const local = data.totals.filter((t) => t.provider === 'local');
      const localTokens = sumKinds(local);
      const localCalls = local.reduce((n, t) => n + t.calls, 0);
      const savingsModel = savingsEntry === undefined ? null : toSavingsModel(savingsEntry.type, savingsEntry.entry);

      return {
        from: input.from,
        to: input.to,
        bucket,
        bucketMs,
        totals: {
          calls: sum(data.totals, 'calls'),
          successes: sum(data.totals, 'successes'),
          errors: sum(data.totals, 'errors'),
          aborted: sum(data.totals, 'aborted'),
          costUsd: sum(data.totals, 'costUsd'),
          uncostedCalls: sum(data.totals, 'calls') - sum(data.totals, 'costed'),
          inputTokens: sum(data.totals, 'inputTokens'),
          outputTokens: sum(data.totals, 'outputTokens'),
        },
        tokens: sumKinds(data.totals),
        spend: {
          starts,
          byProvider: seriesBy(data.series, buckets, (p) => p.provider, () => null),
          byModel: seriesBy(data.series, buckets, (p) => modelKey(p.provider, p.model), (p) => p.model),
        },
        deployments: deploymentRows(data.totals, data.latency, deps.breakers?.() ?? []),
        topConversations: data.topConversations,
        savings: {
          model: savingsModel,
          candidates,
          localCalls,
          localTokens,
          ...savingsCost(savingsEntry, localTokens, localCalls, deps.catalog !== undefined),
        },
      };
    },

    exportCsv({ from, to }) {
      checkRange(from, to);
      const rows = store.usage.countEnded({ from, to });
      if (rows > MAX_EXPORT_ROWS) {
        throw new ContractFailure(
          'VALIDATION_FAILED',
          `${rows} calls in this range; an export holds at most ${MAX_EXPORT_ROWS}: choose a shorter range and export it in parts`,
        );
      }
      const parts = [csvRecord(EXPORT_COLUMNS.map(([name]) => name))];
      for (const row of store.usage.exportRows({ from, to })) parts.push(csvRecord(EXPORT_COLUMNS.map(([, read]) => read(row))));
      return { filename: `switchboard-usage-${isoDay(from)}-to-${isoDay(to - 1)}.csv`, csv: parts.join(''), rows: parts.length - 1 };
    },

    clear({ from, to }) {
      if (from !== undefined && to !== undefined) checkRange(from, to);
      return { deleted: store.usage.clear({ from, to }) };
    },
  };
}

function checkRange(from: number, to: number): void {
  if (!(from < to)) throw new ContractFailure('VALIDATION_FAILED', `the range must start before it ends: from ${from} is not before to ${to}`);
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The CSV's columns, in order: header name and how to read it from a row. */
const EXPORT_COLUMNS: [string, (r: ExportRow) => string | number | null][] = [
  ['started_at', (r) => iso(r.started_at)],
  ['ended_at', (r) => iso(r.ended_at)],
  ['provider', (r) => r.provider],
  ['model', (r) => r.model],
  ['deployment', (r) => r.deployment],
  ['outcome', (r) => r.outcome],
  ['error_kind', (r) => r.error_kind],
  ['error_message', (r) => r.error_message],
  ['input_tokens', (r) => r.input_tokens],
  ['input_no_cache', (r) => r.input_no_cache],
  ['input_cache_read', (r) => r.input_cache_read],
  ['input_cache_write', (r) => r.input_cache_write],
  ['output_tokens', (r) => r.output_tokens],
  ['output_text', (r) => r.output_text],
  ['output_reasoning', (r) => r.output_reasoning],
  ['cost_usd', (r) => r.cost_usd],
  ['latency_ms', (r) => r.latency_ms],
  ['ttft_ms', (r) => r.ttft_ms],
  ['conversation_id', (r) => r.conversation_id],
  ['conversation_title', (r) => r.conversation_title],
  ['request_id', (r) => r.request_id],
  ['attempt', (r) => r.attempt],
  ['fallback_depth', (r) => r.fallback_depth],
  ['client', (r) => r.client],
  ['id', (r) => r.id],
];

type NumericKey = { [K in keyof DeploymentTotals]: DeploymentTotals[K] extends number ? K : never }[keyof DeploymentTotals];
const sum = (rows: readonly DeploymentTotals[], key: NumericKey) => rows.reduce((n, r) => n + r[key], 0);

function sumKinds(rows: readonly DeploymentTotals[]): TokenKindsInfo {
  return {
    inputNoCache: sum(rows, 'inputNoCache'),
    cacheRead: sum(rows, 'cacheRead'),
    cacheWrite: sum(rows, 'cacheWrite'),
    outputText: sum(rows, 'outputText'),
    reasoning: sum(rows, 'reasoning'),
  };
}

/** A model as the UI names it: local refs already carry their provider (`local/tiny`). */
export function modelKey(provider: string, model: string): string {
  return model.startsWith(`${provider}/`) ? model : `${provider}/${model}`;
}

function seriesBy(
  points: readonly { bucket: number; provider: string; model: string; calls: number; costUsd: number }[],
  buckets: number,
  keyOf: (p: { provider: string; model: string }) => string,
  modelOf: (p: { provider: string; model: string }) => string | null,
): SpendSeries[] {
  const series = new Map<string, SpendSeries>();
  for (const p of points) {
    const key = keyOf(p);
    let s = series.get(key);
    if (s === undefined) {
      s = { key, provider: p.provider, model: modelOf(p), costUsd: new Array<number>(buckets).fill(0), calls: new Array<number>(buckets).fill(0), totalUsd: 0, totalCalls: 0 };
      series.set(key, s);
    }
    // A bucket past the last (a call exactly at `to` cannot be; kept safe anyway) is dropped by the bounds check.
    if (p.bucket < 0 || p.bucket >= buckets) continue;
    s.costUsd[p.bucket] = (s.costUsd[p.bucket] ?? 0) + p.costUsd;
    s.calls[p.bucket] = (s.calls[p.bucket] ?? 0) + p.calls;
    s.totalUsd += p.costUsd;
    s.totalCalls += p.calls;
  }
  // Biggest spender first, then most calls: the chart stacks (and the legend lists) in this order.
  return [...series.values()].sort((a, b) => b.totalUsd - a.totalUsd || b.totalCalls - a.totalCalls || a.key.localeCompare(b.key));
}

function deploymentRows(
  totals: readonly DeploymentTotals[],
  latency: readonly { provider: string; model: string; deployment: string; p50LatencyMs: number | null; p95LatencyMs: number | null; p50TtftMs: number | null; p95TtftMs: number | null }[],
  health: readonly DeploymentHealthInfo[],
): DeploymentUsage[] {
  const latencyOf = new Map(latency.map((l) => [`${l.provider}\u0000${l.model}\u0000${l.deployment}`, l]));
  const breakerOf = new Map(health.map((h) => [h.deploymentId, h.breaker]));
  return totals
    .map((t) => {
      const l = latencyOf.get(`${t.provider}\u0000${t.model}\u0000${t.deployment}`);
      const deployment = t.deployment === '' ? null : t.deployment;
      const settled = t.calls - t.aborted;
      return {
        key: deployment ?? modelKey(t.provider, t.model),
        deployment,
        provider: t.provider,
        model: t.model,
        calls: t.calls,
        successes: t.successes,
        errors: t.errors,
        aborted: t.aborted,
        successRate: settled > 0 ? t.successes / settled : null,
        costUsd: t.costUsd,
        p50LatencyMs: l?.p50LatencyMs ?? null,
        p95LatencyMs: l?.p95LatencyMs ?? null,
        p50TtftMs: l?.p50TtftMs ?? null,
        p95TtftMs: l?.p95TtftMs ?? null,
        breaker: deployment === null ? null : (breakerOf.get(deployment) ?? null),
      };
    })
    .sort((a, b) => b.calls - a.calls || a.key.localeCompare(b.key));
}

// Chat models with both prices, from the providers people compare local runs with.
const SAVINGS_TYPES = ['openai', 'anthropic', 'deepseek'];
const NOT_CHAT = /(audio|realtime|tts|transcribe|image|embed|search|instruct|vision|davinci|babbage|curie|^ada|computer|moderation|codex|preview)/;

export function savingsCandidates(catalog: Catalog): SavingsModel[] {
  return SAVINGS_TYPES.flatMap((type) =>
    catalog
      .list(type)
      .filter((e) => !e.local && e.prices?.input !== undefined && e.prices.output !== undefined)
      .filter((e) => /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(e.modelId) && !NOT_CHAT.test(e.modelId) && e.deprecated !== true)
      .map((e) => toSavingsModel(type, e))
      .sort((a, b) => a.ref.localeCompare(b.ref)),
  );
}

function toSavingsModel(type: string, e: CatalogEntry): SavingsModel {
  return {
    ref: `${type}/${e.modelId}`,
    label: `${e.displayName ?? e.modelId} (${type})`,
    inputPerMillion: e.prices?.input ?? 0,
    outputPerMillion: e.prices?.output ?? 0,
  };
}

function resolveSavingsModel(catalog: Catalog | undefined, ref: string, asked: boolean): { type: string; entry: CatalogEntry } | undefined {
  if (catalog === undefined) return undefined;
  const slash = ref.indexOf('/');
  const entry = slash > 0 ? catalog.lookupModel(ref.slice(0, slash), ref.slice(slash + 1)) : undefined;
  if (entry === undefined || entry.local || entry.prices === undefined) {
    if (!asked) return undefined;
    throw new ContractFailure(
      'VALIDATION_FAILED',
      `savingsModel '${ref}' is not a priced cloud model in the catalog: use TYPE/MODEL from the dashboard's candidates, e.g. ${DEFAULT_SAVINGS_MODEL}`,
    );
  }
  return { type: ref.slice(0, slash), entry };
}

/**
 * What the local runs would have cost at the chosen model's base prices: the catalog's own cost
 * function over the summed tokens by kind (cost is linear in each kind). Long-context tiers apply
 * per call, so they are left out: this is the base-price figure.
 */
function savingsCost(
  chosen: { type: string; entry: CatalogEntry } | undefined,
  tokens: TokenKindsInfo,
  localCalls: number,
  hasCatalog: boolean,
): { costUsd: number | null; note: string | null } {
  if (chosen === undefined) {
    return { costUsd: null, note: hasCatalog ? `${DEFAULT_SAVINGS_MODEL} is not in the catalog: choose a model` : 'the model catalog could not be loaded' };
  }
  if (localCalls === 0) return { costUsd: 0, note: 'no local runs in this range' };
  const { tiers: _tiers, ...basePrices } = chosen.entry.prices ?? {};
  const result = computeCost(
    { ...chosen.entry, prices: basePrices },
    {
      inputTokens: {
        total: tokens.inputNoCache + tokens.cacheRead + tokens.cacheWrite,
        noCache: tokens.inputNoCache,
        cacheRead: tokens.cacheRead,
        cacheWrite: tokens.cacheWrite,
      },
      outputTokens: { total: tokens.outputText + tokens.reasoning, text: tokens.outputText, reasoning: tokens.reasoning },
    },
  );
  return result.costUsd === undefined
    ? { costUsd: null, note: result.breakdown.missing ?? 'the cost could not be computed' }
    : { costUsd: result.costUsd, note: null };
}
