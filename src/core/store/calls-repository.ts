import type Database from 'better-sqlite3';
import { type CallOutcome, type UsageSummary, callOutcomeSchema } from '../../shared/domain';
import { type ProviderErrorKind } from '../../shared/llm';

/** What is known when a provider attempt starts: the row `begin` writes. */
export interface CallStart {
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
  startedAt: number;
  /** Who asked: 'ipc', 'ws', 'cli', 'gateway'. */
  client: string | null;
}

/**
 * One provider attempt. Token counts are `null` when unknown, never 0.
 * A row is in flight from `begin` until `finish`: its outcome and `endedAt` are `null` until then.
 */
export interface CallRecord extends CallStart {
  inputTokens: { total: number | null; noCache: number | null; cacheRead: number | null; cacheWrite: number | null };
  outputTokens: { total: number | null; text: number | null; reasoning: number | null };
  costUsd: number | null;
  latencyMs: number | null;
  ttftMs: number | null;
  /** `null` while the call is in flight. */
  outcome: CallOutcome | null;
  errorKind: ProviderErrorKind | null;
  errorMessage: string | null;
  /** `null` while the call is in flight (and on rows written before schema version 3 that lacked it). */
  endedAt: number | null;
}

/** What is known when the attempt ends: what `finish` writes. */
export type CallEnd = Pick<
  CallRecord,
  'inputTokens' | 'outputTokens' | 'costUsd' | 'latencyMs' | 'ttftMs' | 'errorKind' | 'errorMessage'
> & { outcome: CallOutcome; endedAt: number };

/** How startup recovery closes a row a crash left in flight. */
export interface CallInterruption {
  errorKind: ProviderErrorKind;
  errorMessage: string;
}

export interface TimeRange {
  /** Epoch ms, inclusive. */
  from?: number | undefined;
  /** Epoch ms, exclusive. */
  to?: number | undefined;
}

export interface CallsRepository {
  /** Writes the row of an attempt that is starting, in flight: outcome, `endedAt` and every count `null`. */
  begin(call: CallStart): void;
  /**
   * Completes an in-flight row. Returns false, changing nothing, when `id` is not in flight
   * (never begun, or already finished): a finished row is never rewritten.
   */
  finish(id: string, end: CallEnd): boolean;
  /**
   * Startup recovery: every row still in flight (the process that ran it is gone) becomes an `error`
   * with this kind and message, ended at its start (the last time known); its counts stay `null`.
   * Returns how many.
   */
  failInFlight(interruption: CallInterruption): number;
  /** A whole row at once, for a call recorded after the fact (and tests). */
  insert(call: CallRecord): void;
  /** Newest first, rows in flight included. */
  list(range: TimeRange & { limit: number }): CallRecord[];
  listByRequest(requestId: string): CallRecord[];
  /** Attempts against a deployment that started at or after `from` and ended, oldest first: health at startup. */
  listAttemptsSince(from: number): CallRecord[];
  /** Calls that ended in the range (by start time); rows in flight are not counted. */
  summary(range: TimeRange): UsageSummary;
}

/** A `calls` row as SQLite returns it (its column names). */
export interface CallRow {
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
  outcome: CallOutcome | null;
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
  uncosted_calls: number;
}

// Unbounded ends of a range become the widest integers SQLite holds, so one
// statement (and one index range scan on started_at) serves every range.
const MIN_TIME = -9_007_199_254_740_991;
const MAX_TIME = 9_007_199_254_740_991;

const TOTALS = `COUNT(*) AS calls,
  COALESCE(SUM(input_tokens), 0) AS input_tokens,
  COALESCE(SUM(output_tokens), 0) AS output_tokens,
  COALESCE(SUM(cost_usd), 0) AS cost_usd,
  COALESCE(SUM(cost_usd IS NULL), 0) AS uncosted_calls`;
const IN_RANGE = 'started_at >= ? AND started_at < ?';
// The dashboard counts calls that ended: one in flight has no outcome yet and must not show as anything.
const ENDED_IN_RANGE = `${IN_RANGE} AND outcome IS NOT NULL`;

/**
 * One write of a recorded call as plain values (positional parameters in statement order), so the
 * same write runs on this connection or on the writer thread's (call-writer-thread.ts).
 */
export type CallWrite =
  | { kind: 'begin'; values: StartValues }
  | { kind: 'insert'; values: InsertValues }
  | { kind: 'insertInFlight'; values: InsertValues }
  | { kind: 'finish'; values: FinishValues };

/**
 * The repository that writes at once (the recorder queues in front of it). Beyond `CallsRepository`
 * it runs a `CallWrite`, which is how the recorder writes what it queued.
 */
export interface DirectCallsRepository extends CallsRepository {
  /** False when a finish found no row in flight (nothing changed). */
  write(write: CallWrite): boolean;
}

/** Every column of `calls` (and of `calls_in_flight`, which has the same), in table order. */
const COLUMNS = `id, request_id, attempt, fallback_depth, conversation_id, provider, model, deployment,
  input_tokens, input_no_cache, input_cache_read, input_cache_write,
  output_tokens, output_text, output_reasoning,
  cost_usd, latency_ms, ttft_ms, outcome, error_kind, error_message, started_at, ended_at, client`;
/** The columns a call's start fills; the rest of a row in flight is NULL. */
const START_COLUMNS = 'id, request_id, attempt, fallback_depth, conversation_id, provider, model, deployment, started_at, client';
const params = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * The statements a `CallWrite` runs. A finish is `finishFromInFlight` and, when that moved a row,
 * `deleteInFlight` of its id (the finish's last value), in the caller's transaction.
 */
export const CALL_WRITE_SQL = {
  begin: `INSERT INTO calls_in_flight (${START_COLUMNS}) VALUES (${params(10)})`,
  insert: `INSERT INTO calls (${COLUMNS}) VALUES (${params(24)})`,
  insertInFlight: `INSERT INTO calls_in_flight (${COLUMNS}) VALUES (${params(24)})`,
  // The start columns come from the row in flight: a conversation deleted since is NULL there already.
  finishFromInFlight: `
    INSERT INTO calls (${COLUMNS})
    SELECT id, request_id, attempt, fallback_depth, conversation_id, provider, model, deployment,
      ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, started_at, ?, client
    FROM calls_in_flight WHERE id = ?`,
  deleteInFlight: 'DELETE FROM calls_in_flight WHERE id = ?',
} as const;

/** A call starting (a row in flight), or one that began and ended before it was written (one whole row). */
export const beginWrite = (start: CallStart, end?: CallEnd): CallWrite =>
  end === undefined ? { kind: 'begin', values: startValues(start) } : { kind: 'insert', values: endedValues(start, end) };
/** A whole row; one without an outcome is in flight and waits in calls_in_flight for its finish. */
export const insertWrite = (call: CallRecord): CallWrite => ({ kind: call.outcome === null ? 'insertInFlight' : 'insert', values: insertValues(call) });
export const finishWrite = (id: string, end: CallEnd): CallWrite => ({ kind: 'finish', values: finishValues(id, end) });

export function createCallsRepository(db: Database.Database): DirectCallsRepository {
  // A call in flight is a row of `calls_in_flight` (small: only the calls running now); its `calls`
  // row is written once, whole, when it ends. So finishing is an append to `calls` (its indexes
  // and the rollup trigger see one INSERT), not an UPDATE of a wide row among hundreds of thousands.
  // Positional parameters: binding 24 named ones costs more than the rest of the statement's setup
  // (each is a property look-up on the row object), and this runs for every call.
  const insert = db.prepare<InsertValues>(CALL_WRITE_SQL.insert);
  const insertInFlight = db.prepare<InsertValues>(CALL_WRITE_SQL.insertInFlight);
  const begin = db.prepare<StartValues>(CALL_WRITE_SQL.begin);
  const finishFromInFlight = db.prepare<FinishValues>(CALL_WRITE_SQL.finishFromInFlight);
  const deleteInFlight = db.prepare<[string]>(CALL_WRITE_SQL.deleteInFlight);
  // Only the start time is known for certain; latency stays unknown rather than a made-up 0.
  const failInFlight = db.prepare<[string, string]>(`
    INSERT INTO calls (${COLUMNS})
    SELECT id, request_id, attempt, fallback_depth, conversation_id, provider, model, deployment,
      input_tokens, input_no_cache, input_cache_read, input_cache_write,
      output_tokens, output_text, output_reasoning,
      cost_usd, latency_ms, ttft_ms, 'error', ?, ?, started_at, started_at, client
    FROM calls_in_flight`);
  const deleteAllInFlight = db.prepare('DELETE FROM calls_in_flight');
  const failAll = db.transaction((errorKind: string, errorMessage: string) => {
    const changes = failInFlight.run(errorKind, errorMessage).changes;
    deleteAllInFlight.run();
    return changes;
  });
  const moveFinished = (values: FinishValues): boolean => {
    if (finishFromInFlight.run(...values).changes !== 1) return false;
    deleteInFlight.run(values[14]);
    return true;
  };
  // The INSERT and the DELETE together or not at all; inside the recorder's transaction a savepoint
  // per call would only add cost.
  const moveFinishedAtomically = db.transaction(moveFinished);
  // Ended rows come from their partial index (calls_ended); no index on started_at alone (one more
  // index written for every call) is needed for this rarely used listing.
  const list = db.prepare<{ from: number; to: number; limit: number }, CallRow>(`
    SELECT * FROM (
      SELECT * FROM (SELECT ${COLUMNS} FROM calls WHERE outcome IS NOT NULL AND started_at >= @from AND started_at < @to ORDER BY started_at DESC LIMIT @limit)
      UNION ALL
      SELECT ${COLUMNS} FROM calls_in_flight WHERE started_at >= @from AND started_at < @to
    ) ORDER BY started_at DESC, id LIMIT @limit`);
  const byRequest = db.prepare<[string, string], CallRow>(`
    SELECT ${COLUMNS} FROM calls WHERE request_id = ?
    UNION ALL
    SELECT ${COLUMNS} FROM calls_in_flight WHERE request_id = ?
    ORDER BY fallback_depth, attempt, started_at`);
  const attemptsSince = db.prepare<[number], CallRow>(
    'SELECT * FROM calls WHERE started_at >= ? AND outcome IS NOT NULL AND deployment IS NOT NULL ORDER BY started_at, attempt',
  );
  const totals = db.prepare<[number, number], TotalsRow>(`SELECT ${TOTALS} FROM calls WHERE ${ENDED_IN_RANGE}`);
  const byOutcome = db.prepare<[number, number], { outcome: CallOutcome; calls: number }>(
    `SELECT outcome, COUNT(*) AS calls FROM calls WHERE ${ENDED_IN_RANGE} GROUP BY outcome`,
  );
  const byModel = db.prepare<[number, number], TotalsRow & { provider: string; model: string }>(
    `SELECT provider, model, ${TOTALS} FROM calls WHERE ${ENDED_IN_RANGE}
     GROUP BY provider, model ORDER BY calls DESC, provider, model`,
  );

  const write = (w: CallWrite): boolean => {
    switch (w.kind) {
      case 'finish':
        return db.inTransaction ? moveFinished(w.values) : moveFinishedAtomically(w.values);
      case 'begin':
        begin.run(...w.values);
        return true;
      case 'insert':
        insert.run(...w.values);
        return true;
      case 'insertInFlight':
        insertInFlight.run(...w.values);
        return true;
    }
  };

  return {
    write,
    begin: (call) => void write(beginWrite(call)),
    finish: (id, end) => write(finishWrite(id, end)),
    failInFlight({ errorKind, errorMessage }) {
      return failAll(errorKind, errorMessage);
    },
    insert: (call) => void write(insertWrite(call)),
    list({ from, to, limit }) {
      return list.all({ from: from ?? MIN_TIME, to: to ?? MAX_TIME, limit }).map(toRecord);
    },
    listByRequest(requestId) {
      return byRequest.all(requestId, requestId).map(toRecord);
    },
    listAttemptsSince(from) {
      return attemptsSince.all(from).map(toRecord);
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
        totals: toTotals(t ?? { calls: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, uncosted_calls: 0 }),
        byOutcome: counts,
        byModel: models.map((m) => ({ provider: m.provider, model: m.model, ...toTotals(m) })),
      };
    },
  };
}

function toTotals(row: TotalsRow) {
  return { calls: row.calls, inputTokens: row.input_tokens, outputTokens: row.output_tokens, costUsd: row.cost_usd, uncostedCalls: row.uncosted_calls };
}

type Value = string | number | null;
type InsertValues = [Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value];
type FinishValues = [Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, Value, string];
type StartValues = [Value, Value, Value, Value, Value, Value, Value, Value, Value, Value];

/** The INSERT's parameters, in its column order. */
function insertValues(c: CallRecord): InsertValues {
  return [
    c.id, c.requestId, c.attempt, c.fallbackDepth, c.conversationId, c.provider, c.model, c.deployment,
    c.inputTokens.total, c.inputTokens.noCache, c.inputTokens.cacheRead, c.inputTokens.cacheWrite,
    c.outputTokens.total, c.outputTokens.text, c.outputTokens.reasoning,
    c.costUsd, c.latencyMs, c.ttftMs, c.outcome, c.errorKind, c.errorMessage, c.startedAt, c.endedAt, c.client,
  ];
}

/** The parameters of a row in flight, in START_COLUMNS order. */
function startValues(c: CallStart): StartValues {
  return [c.id, c.requestId, c.attempt, c.fallbackDepth, c.conversationId, c.provider, c.model, c.deployment, c.startedAt, c.client];
}

/** The INSERT's parameters for a call that began and ended in the same flush. */
function endedValues(c: CallStart, e: CallEnd): InsertValues {
  return [
    c.id, c.requestId, c.attempt, c.fallbackDepth, c.conversationId, c.provider, c.model, c.deployment,
    e.inputTokens.total, e.inputTokens.noCache, e.inputTokens.cacheRead, e.inputTokens.cacheWrite,
    e.outputTokens.total, e.outputTokens.text, e.outputTokens.reasoning,
    e.costUsd, e.latencyMs, e.ttftMs, e.outcome, e.errorKind, e.errorMessage, c.startedAt, e.endedAt, c.client,
  ];
}

/** The finish's parameters, in its order (the id last). */
function finishValues(id: string, e: CallEnd): FinishValues {
  return [
    e.inputTokens.total, e.inputTokens.noCache, e.inputTokens.cacheRead, e.inputTokens.cacheWrite,
    e.outputTokens.total, e.outputTokens.text, e.outputTokens.reasoning,
    e.costUsd, e.latencyMs, e.ttftMs, e.outcome, e.errorKind, e.errorMessage, e.endedAt, id,
  ];
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
