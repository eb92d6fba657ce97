import type Database from 'better-sqlite3';
import { type CallOutcome, type UsageSummary, callOutcomeSchema } from '../../shared/domain';
import { type ProviderErrorKind } from '../../shared/llm';

/** One provider attempt. Token counts are `null` when unknown, never 0. */
export interface CallRecord {
  id: string;
  requestId: string;
  /** 1 for the first try of a deployment; retries count up. */
  attempt: number;
  /** 0 for the requested group; 1 for its first fallback, and so on. */
  fallbackDepth: number;
  conversationId: string | null;
  provider: string;
  model: string;
  deployment: string | null;
  inputTokens: { total: number | null; noCache: number | null; cacheRead: number | null; cacheWrite: number | null };
  outputTokens: { total: number | null; text: number | null; reasoning: number | null };
  costUsd: number | null;
  latencyMs: number | null;
  ttftMs: number | null;
  outcome: CallOutcome;
  errorKind: ProviderErrorKind | null;
  errorMessage: string | null;
  startedAt: number;
  endedAt: number | null;
  /** Who asked: 'ipc', 'ws', 'cli', 'gateway'. */
  client: string | null;
}

export interface TimeRange {
  /** Epoch ms, inclusive. */
  from?: number | undefined;
  /** Epoch ms, exclusive. */
  to?: number | undefined;
}

export interface CallsRepository {
  insert(call: CallRecord): void;
  /** Newest first. */
  list(range: TimeRange & { limit: number }): CallRecord[];
  listByRequest(requestId: string): CallRecord[];
  summary(range: TimeRange): UsageSummary;
}

interface CallRow {
  id: string;
  request_id: string;
  attempt: number;
  fallback_depth: number;
  conversation_id: string | null;
  provider: string;
  model: string;
  deployment: string | null;
  input_tokens: number | null;
  input_no_cache: number | null;
  input_cache_read: number | null;
  input_cache_write: number | null;
  output_tokens: number | null;
  output_text: number | null;
  output_reasoning: number | null;
  cost_usd: number | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  outcome: CallOutcome;
  error_kind: ProviderErrorKind | null;
  error_message: string | null;
  started_at: number;
  ended_at: number | null;
  client: string | null;
}

interface TotalsRow {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

// Unbounded ends of a range become the widest integers SQLite holds, so one
// statement (and one index range scan on started_at) serves every range.
const MIN_TIME = -9_007_199_254_740_991;
const MAX_TIME = 9_007_199_254_740_991;

const TOTALS = `COUNT(*) AS calls,
  COALESCE(SUM(input_tokens), 0) AS input_tokens,
  COALESCE(SUM(output_tokens), 0) AS output_tokens,
  COALESCE(SUM(cost_usd), 0) AS cost_usd`;
const IN_RANGE = 'started_at >= ? AND started_at < ?';

export function createCallsRepository(db: Database.Database): CallsRepository {
  const insert = db.prepare<CallRow>(`
    INSERT INTO calls (
      id, request_id, attempt, fallback_depth, conversation_id, provider, model, deployment,
      input_tokens, input_no_cache, input_cache_read, input_cache_write,
      output_tokens, output_text, output_reasoning,
      cost_usd, latency_ms, ttft_ms, outcome, error_kind, error_message, started_at, ended_at, client
    ) VALUES (
      @id, @request_id, @attempt, @fallback_depth, @conversation_id, @provider, @model, @deployment,
      @input_tokens, @input_no_cache, @input_cache_read, @input_cache_write,
      @output_tokens, @output_text, @output_reasoning,
      @cost_usd, @latency_ms, @ttft_ms, @outcome, @error_kind, @error_message, @started_at, @ended_at, @client
    )`);
  const list = db.prepare<[number, number, number], CallRow>(
    `SELECT * FROM calls WHERE ${IN_RANGE} ORDER BY started_at DESC, id LIMIT ?`,
  );
  const byRequest = db.prepare<[string], CallRow>(
    'SELECT * FROM calls WHERE request_id = ? ORDER BY fallback_depth, attempt, started_at',
  );
  const totals = db.prepare<[number, number], TotalsRow>(`SELECT ${TOTALS} FROM calls WHERE ${IN_RANGE}`);
  const byOutcome = db.prepare<[number, number], { outcome: CallOutcome; calls: number }>(
    `SELECT outcome, COUNT(*) AS calls FROM calls WHERE ${IN_RANGE} GROUP BY outcome`,
  );
  const byModel = db.prepare<[number, number], TotalsRow & { provider: string; model: string }>(
    `SELECT provider, model, ${TOTALS} FROM calls WHERE ${IN_RANGE}
     GROUP BY provider, model ORDER BY calls DESC, provider, model`,
  );

  return {
    insert(call) {
      insert.run(toRow(call));
    },
    list({ from, to, limit }) {
      return list.all(from ?? MIN_TIME, to ?? MAX_TIME, limit).map(toRecord);
    },
    listByRequest(requestId) {
      return byRequest.all(requestId).map(toRecord);
    },
    summary({ from, to }) {
      const range = [from ?? MIN_TIME, to ?? MAX_TIME] as const;
      const read = db.transaction(() => ({
        totals: totals.get(...range),
        outcomes: byOutcome.all(...range),
        models: byModel.all(...range),
      }));
      // Deferred read transaction: all three queries see the same snapshot.
      const { totals: t, outcomes, models } = read.deferred();
      const counts = Object.fromEntries(callOutcomeSchema.options.map((o) => [o, 0])) as Record<CallOutcome, number>;
      for (const row of outcomes) counts[row.outcome] = row.calls;
      return {
        from: from ?? null,
        to: to ?? null,
        totals: toTotals(t ?? { calls: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 }),
        byOutcome: counts,
        byModel: models.map((m) => ({ provider: m.provider, model: m.model, ...toTotals(m) })),
      };
    },
  };
}

function toTotals(row: TotalsRow) {
  return { calls: row.calls, inputTokens: row.input_tokens, outputTokens: row.output_tokens, costUsd: row.cost_usd };
}

function toRow(c: CallRecord): CallRow {
  return {
    id: c.id,
    request_id: c.requestId,
    attempt: c.attempt,
    fallback_depth: c.fallbackDepth,
    conversation_id: c.conversationId,
    provider: c.provider,
    model: c.model,
    deployment: c.deployment,
    input_tokens: c.inputTokens.total,
    input_no_cache: c.inputTokens.noCache,
    input_cache_read: c.inputTokens.cacheRead,
    input_cache_write: c.inputTokens.cacheWrite,
    output_tokens: c.outputTokens.total,
    output_text: c.outputTokens.text,
    output_reasoning: c.outputTokens.reasoning,
    cost_usd: c.costUsd,
    latency_ms: c.latencyMs,
    ttft_ms: c.ttftMs,
    outcome: c.outcome,
    error_kind: c.errorKind,
    error_message: c.errorMessage,
    started_at: c.startedAt,
    ended_at: c.endedAt,
    client: c.client,
  };
}

function toRecord(r: CallRow): CallRecord {
  return {
    id: r.id,
    requestId: r.request_id,
    attempt: r.attempt,
    fallbackDepth: r.fallback_depth,
    conversationId: r.conversation_id,
    provider: r.provider,
    model: r.model,
    deployment: r.deployment,
    inputTokens: {
      total: r.input_tokens,
      noCache: r.input_no_cache,
      cacheRead: r.input_cache_read,
      cacheWrite: r.input_cache_write,
    },
    outputTokens: { total: r.output_tokens, text: r.output_text, reasoning: r.output_reasoning },
    costUsd: r.cost_usd,
    latencyMs: r.latency_ms,
    ttftMs: r.ttft_ms,
    outcome: r.outcome,
    errorKind: r.error_kind,
    errorMessage: r.error_message,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    client: r.client,
  };
}
