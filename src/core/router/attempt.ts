import { computeCost } from '../catalog';
import {
  emptyUsage,
  partsOf,
  ProviderError,
  type CallOptions,
  type LanguageModel,
  type PartIterator,
  type ProviderErrorData,
  type StreamPart,
  type StreamPartOf,
  type Usage,
} from '../../shared/llm';
import type { Deployment } from './deployment';
import type { DeploymentState } from './deployment-state';
import type { ModelGroup } from './model-group';
import type { AttemptIdentity, AttemptOutcome, AttemptRecord, AttemptStart, Clock } from './router-types';

export type AttemptResult =
  | { kind: 'done' }
  /** Failed before anything reached the caller: retries and fallbacks may run. */
  | { kind: 'failed'; error: ProviderErrorData }
  /** Failed after content reached the caller, or aborted: report and stop. */
  | { kind: 'terminal'; error: ProviderErrorData; usage: Usage };

/** What every attempt of one request shares. */
export interface RequestContext {
  requestId: string;
  options: CallOptions;
  signal: AbortSignal;
  clock: Clock;
  state: DeploymentState;
  resolveModel: (d: Deployment) => LanguageModel;
  report: (record: AttemptRecord) => void;
  /** Called when an attempt starts, before its model is asked (optional). */
  reportStart?: (start: AttemptStart) => void;
  /** The parts of the attempt under way, so cancelling the output can stop it. */
  onReader: (parts: PartIterator | undefined) => void;
  /** Attempts so far, and whether stream-start has gone out. */
  progress: { attempts: number; committed: boolean };
}

const CONTENT_TYPES: ReadonlySet<StreamPart['type']> = new Set(['text-delta', 'reasoning-delta', 'tool-call']);

export function abortedError(): ProviderErrorData {
  return { kind: 'aborted', message: 'the request was aborted', retryable: false };
}

/**
 * One call of one deployment. Its parts are held back until the first content part (text,
 * reasoning or a tool call), so a failure before it leaves no trace in the output; after it,
 * parts flow through and a failure is terminal. Reports exactly one record, whatever happens
 * (the caller cancelling included).
 *
 * Yields parts in batches (never empty): the parts the model had ready at once (one network read
 * is often a whole short answer), so the router's generators resume once per batch, not per part.
 */
export async function* runAttempt(ctx: RequestContext, d: Deployment, group: ModelGroup, depth: number): AsyncGenerator<StreamPart[], AttemptResult> {
  const { clock, signal, state, progress } = ctx;
  // Aborted before it began: no call, so no attempt to record.
  if (signal.aborted) return { kind: 'terminal', error: abortedError(), usage: emptyUsage() };
  const number = ++progress.attempts;
  const startedAt = clock.now();
  state.begin(d);
  const identity: AttemptIdentity = {
    requestId: ctx.requestId,
    attempt: number,
    fallbackDepth: depth,
    group: group.name,
    deploymentId: d.id,
    provider: d.provider,
    model: d.model,
    startedAt,
  };
  ctx.reportStart?.(identity);
  let recorded = false;
  let usage: Usage = emptyUsage();
  let ttftMs: number | undefined;
  let streamed = false;
  let error: ProviderErrorData | undefined;
  let finish: StreamPartOf<'finish'> | undefined;
  let reader: PartIterator | undefined;
  const held: StreamPart[] = [];
  // Parts read with the finish: they go out after the attempt is recorded, so a caller that stops
  // reading at them cannot leave the attempt unrecorded.
  let pending: StreamPart[] = [];

  const record = (outcome: AttemptOutcome, err: ProviderErrorData | undefined): void => {
    if (recorded) return;
    recorded = true;
    const latencyMs = clock.now() - startedAt;
    state.end(d, outcome, err, latencyMs, ttftMs);
    const costUsd = computeCost(d.entry, usage).costUsd;
    ctx.report({
      ...identity,
      outcome,
      ...(err && { errorKind: err.kind, error: err }),
      usage,
      ...(costUsd !== undefined && { costUsd }),
      latencyMs,
      ...(ttftMs !== undefined && { ttftMs }),
      streamed,
    });
  };

  /** The held parts (stream-start first, once per request) onto `out`. */
  function release(out: StreamPart[]): StreamPart[] {
    if (!progress.committed) {
      progress.committed = true;
      out.push(held.find((p) => p.type === 'stream-start') ?? { type: 'stream-start', warnings: [] });
    }
    for (const p of held) if (p.type !== 'stream-start') out.push(p);
    held.length = 0;
    return out;
  }

  try {
    reader = partsOf(await ctx.resolveModel(d).stream({ ...ctx.options, abortSignal: signal }));
    ctx.onReader(reader);
    while (finish === undefined) {
      const next = await reader.next();
      if (next.done === true) break;
      const batch: StreamPart[] = [];
      for (let part: StreamPart | undefined = next.value; part !== undefined; part = reader.nextBuffered?.()) {
        if (part.type === 'error') {
          error = part.error;
        } else if (part.type === 'finish') {
          finish = part;
          usage = part.usage;
          break;
        } else if (streamed) {
          batch.push(part);
        } else if (CONTENT_TYPES.has(part.type)) {
          ttftMs = clock.now() - startedAt;
          streamed = true;
          release(batch).push(part);
        } else {
          held.push(part);
        }
      }
      if (batch.length === 0) continue;
      if (finish === undefined) yield batch;
      else pending = batch;
    }
    if (!finish && !error) {
      error = signal.aborted
        ? abortedError()
        : { kind: 'connection', message: `${d.provider}/${d.model}: the stream ended without a finish part`, retryable: true };
    }
    if (finish?.finishReason.unified === 'error' && !error) {
      error = { kind: 'server', message: `${d.provider}/${d.model} finished with an error and no details`, retryable: true };
    }
  } catch (e) {
    error = ProviderError.from(e, { kind: 'connection', provider: d.provider }).toData();
  } finally {
    ctx.onReader(undefined);
    if (!recorded && !finish && !error) {
      // The caller stopped reading mid-attempt: stop the model, and count it as aborted.
      void reader?.return().catch(() => undefined);
      record('aborted', abortedError());
    }
  }

  if (signal.aborted || error?.kind === 'aborted') {
    const err = error?.kind === 'aborted' ? error : abortedError();
    record('aborted', err);
    if (pending.length > 0) yield pending;
    return { kind: 'terminal', error: err, usage };
  }
  if (error) {
    record('error', error);
    if (pending.length > 0) yield pending;
    return streamed ? { kind: 'terminal', error, usage } : { kind: 'failed', error };
  }
  record('success', undefined);
  yield release(pending).concat(finish!);
  return { kind: 'done' };
}
