import { computeCost } from '../catalog';
import {
  emptyUsage,
  ProviderError,
  type CallOptions,
  type LanguageModel,
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
  /** The reader of the attempt under way, so cancelling the output can stop it. */
  onReader: (reader: ReadableStreamDefaultReader<StreamPart> | undefined) => void;
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
 */
export async function* runAttempt(ctx: RequestContext, d: Deployment, group: ModelGroup, depth: number): AsyncGenerator<StreamPart, AttemptResult> {
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
  let reader: ReadableStreamDefaultReader<StreamPart> | undefined;
  const held: StreamPart[] = [];

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

  function* release(): Generator<StreamPart> {
    if (!progress.committed) {
      progress.committed = true;
      yield held.find((p) => p.type === 'stream-start') ?? { type: 'stream-start', warnings: [] };
    }
    for (const p of held) if (p.type !== 'stream-start') yield p;
    held.length = 0;
  }

  try {
    const { stream } = await ctx.resolveModel(d).stream({ ...ctx.options, abortSignal: signal });
    reader = stream.getReader();
    ctx.onReader(reader);
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) break;
      if (part.type === 'error') {
        error = part.error;
      } else if (part.type === 'finish') {
        finish = part;
        usage = part.usage;
        break;
      } else if (streamed) {
        yield part;
      } else if (CONTENT_TYPES.has(part.type)) {
        ttftMs = clock.now() - startedAt;
        streamed = true;
        yield* release();
        yield part;
      } else {
        held.push(part);
      }
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
      void reader?.cancel().catch(() => undefined);
      record('aborted', abortedError());
    }
  }

  if (signal.aborted || error?.kind === 'aborted') {
    const err = error?.kind === 'aborted' ? error : abortedError();
    record('aborted', err);
    return { kind: 'terminal', error: err, usage };
  }
  if (error) {
    record('error', error);
    return streamed ? { kind: 'terminal', error, usage } : { kind: 'failed', error };
  }
  record('success', undefined);
  yield* release();
  yield finish!;
  return { kind: 'done' };
}
