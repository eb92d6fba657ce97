import { type AttemptEvent, type CallOutcome } from '../../shared/domain';
import { type CallOptions, type PartIterator, type PartSource, type ProviderErrorData, type StreamPart, ProviderError, partsOf, withParts } from '../../shared/llm';
import { type AttemptRecord, type AttemptStart, type BudgetVerdict, type Deployment, type Router, type RoutedStream } from '../router';
import { type Store, newCallId } from '../store';
import { type Log, silentLog } from './log';
import { promptTokenCounter } from './prompt-tokens';
import { type CacheHit, CacheWriter, type ResponseCache } from './response-cache';
import { type RecordedSpend } from './spend-tracker';
import { usageColumns } from './usage-columns';

/** One request for a model, from any client (chat, CLI, the HTTP gateway). */
export interface RoutedCallRequest {
  /** A group, an alias, `provider/model`, a bare model name, a local model id, or `auto`. */
  model: string;
  /** The call itself; its `abortSignal` stops the request (an abort is never retried). */
  options: CallOptions;
  /** Who asked: `chat`, `cli`, or a gateway token's name. Recorded on every row and matched by rules. */
  client: string;
  conversationId?: string | null;
  /** Use-case tags, for rules (`coding`). */
  tags?: readonly string[];
  /** Its deployments go first when the group has any that can take the request. */
  preferredProvider?: string;
  /** Default: a new UUID. */
  requestId?: string;
  /** Each attempt as it ends (after its row is written), a cache hit included: for a live view of the route. */
  onAttempt?: (attempt: AttemptEvent) => void;
}

/**
 * `stream` is the model-contract stream: `stream-start` first, content, exactly one `finish` last.
 * A failure after content reached the caller comes as an `error` part before the finish. `parts`
 * (when there) are the same parts without a web stream's costs: read one or the other.
 */
export interface RoutedCall extends PartSource {
  requestId: string;
  /** The group the request started in (an ad-hoc `provider/model` group for a direct ref). */
  group: string;
}

export type RoutedTargetKind = 'group' | 'alias' | 'deployment' | 'local';

/** A name a caller can use, for listings such as the gateway's `/v1/models`. */
export interface RoutedTarget {
  id: string;
  kind: RoutedTargetKind;
  provider?: string;
  model?: string;
}

export interface RoutedCaller {
  /**
   * Routes one request and records it: one `calls` row per attempt, or one request-level row
   * (attempt 0, provider `router`) when nothing could be attempted. Resolves once content is on
   * its way (the first content part, or a reply with none). Rejects with a ProviderError when the
   * request failed before any content reached the caller: the name resolves to nothing
   * (`not_found`), every deployment was dropped (`budget`, `context_length`, `rate_limit` for a
   * cooldown, `bad_request`), every attempt failed (the last attempt's error), or it was aborted.
   */
  stream(request: RoutedCallRequest): Promise<RoutedCall>;
  /** The names callers can use: groups, aliases, configured deployments and local models. */
  targets(): Promise<RoutedTarget[]>;
}

export interface RoutedCallerDeps {
  /** The router in force (rebuilt on config reload). */
  router: () => Router;
  store: Store;
  clock: () => number;
  log?: Log;
  newId?: () => string;
  /**
   * The local library's id (`local/tiny`) for a bare name it answers (`tiny`, `tiny.gguf`), else
   * undefined. Names with a `/` and names the router knows (`isRouted`) are never looked up.
   */
  localId?: (name: string) => Promise<string | undefined>;
  /** True for names the router resolves itself: groups, aliases, `auto`. */
  isRouted?: (name: string) => boolean;
  targets?: () => Promise<RoutedTarget[]>;
  /** Budgets: a check per request, and what each attempt that cost something spent (kept spend, alerts). */
  budgets?: { forRequest(): (d: Deployment) => BudgetVerdict; recorded(spend: RecordedSpend): void };
  /** Count prompt tokens for the context filter (when a window is near). Default true. */
  countPromptTokens?: boolean;
  /** The response cache (it says itself whether a request may be cached). */
  cache?: ResponseCache;
}

/** The provider of a request-level row: the router itself decided, no deployment was called. */
export const ROUTER_PROVIDER = 'router';

export function createRoutedCaller(deps: RoutedCallerDeps): RoutedCaller {
  const { store, clock } = deps;
  const log = deps.log ?? silentLog;
  const newId = deps.newId ?? newCallId;

  async function targetName(name: string): Promise<string> {
    if (name.includes('/') || deps.isRouted?.(name) === true || deps.localId === undefined) return name;
    try {
      return (await deps.localId(name)) ?? name;
    } catch (error) {
      // The library could not be read: the router resolves the name as given (and says if it cannot).
      log('warn', `could not look "${name}" up in the local library: ${error instanceof Error ? error.message : String(error)}`);
      return name;
    }
  }

  /** The row of a request that never reached a deployment. */
  function recordRequest(request: RoutedCallRequest, requestId: string, startedAt: number, error: ProviderErrorData): void {
    const outcome: CallOutcome = error.kind === 'aborted' ? 'aborted' : 'error';
    const endedAt = clock();
    try {
      store.calls.insert({
        id: newId(),
        requestId,
        attempt: 0,
        fallbackDepth: 0,
        conversationId: request.conversationId ?? null,
        provider: ROUTER_PROVIDER,
        model: request.model,
        deployment: null,
        ...usageColumns(undefined),
        costUsd: 0,
        latencyMs: endedAt - startedAt,
        ttftMs: null,
        outcome,
        errorKind: error.kind,
        errorMessage: error.message,
        startedAt,
        endedAt,
        client: request.client,
      });
    } catch (cause) {
      log('error', `request ${requestId}: could not record it: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
  }

  /** A cache hit: one `cache_hit` row (cost 0, no tokens spent) and the stored parts replayed. */
  function replay(request: RoutedCallRequest, requestId: string, group: string, startedAt: number, hit: CacheHit): RoutedCall {
    const endedAt = clock();
    try {
      store.calls.insert({
        id: newId(), requestId, attempt: 1, fallbackDepth: 0, conversationId: request.conversationId ?? null,
        provider: hit.provider, model: hit.model, deployment: hit.deployment,
        ...usageColumns(undefined),
        costUsd: 0, latencyMs: endedAt - startedAt, ttftMs: endedAt - startedAt,
        outcome: 'cache_hit', errorKind: null, errorMessage: null, startedAt, endedAt, client: request.client,
      });
    } catch (cause) {
      log('error', `request ${requestId}: could not record its cache hit: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    try {
      request.onAttempt?.({
        type: 'attempt', attempt: 1, fallbackDepth: 0, group, deployment: hit.deployment, provider: hit.provider, model: hit.model,
        outcome: 'cache_hit', errorKind: null, latencyMs: endedAt - startedAt, ttftMs: endedAt - startedAt,
      });
    } catch (cause) {
      log('error', `request ${requestId}: could not report its cache hit: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    const parts = [...hit.parts];
    const replayed: PartIterator = {
      async next() {
        const part = parts.shift();
        return part === undefined ? { done: true, value: undefined } : { done: false, value: part };
      },
      async return() {
        parts.length = 0;
        return { done: true, value: undefined };
      },
    };
    return withParts({ requestId, group }, replayed);
  }

  /** The group a request starts in, for the cache key; undefined when the name resolves to nothing (the router says why). */
  function groupOf(request: RoutedCallRequest, model: string): string | undefined {
    try {
      return deps.router().resolve({ model, options: request.options, client: request.client, ...(request.tags !== undefined && { tags: request.tags }) }).group.name;
    } catch {
      return undefined;
    }
  }

  async function stream(request: RoutedCallRequest): Promise<RoutedCall> {
    const requestId = request.requestId ?? newId();
    const startedAt = clock();
    const model = await targetName(request.model);
    let writer: CacheWriter | undefined;
    if (deps.cache !== undefined) {
      const group = groupOf(request, model);
      const key = group === undefined ? undefined : deps.cache.keyFor(group, request.options);
      if (group !== undefined && key !== undefined) {
        const hit = deps.cache.get(key);
        if (hit !== undefined) return replay(request, requestId, group, startedAt, hit);
        writer = new CacheWriter(deps.cache, key, group, request.options.abortSignal);
      }
    }
    const recorder = attemptRecorder({
      store, log, newId, requestId, request,
      onSpend: deps.budgets && ((spend) => deps.budgets?.recorded(spend)),
      onSuccess: writer && ((origin) => { if (writer) writer.origin = origin; }),
    });
    const fail = (error: unknown): never => {
      const aborted = request.options.abortSignal?.aborted === true;
      const failure = ProviderError.from(error, { kind: aborted ? 'aborted' : 'server' });
      if (recorder.attempts() === 0) recordRequest(request, requestId, startedAt, failure.toData());
      throw failure;
    };

    let routed: RoutedStream;
    try {
      routed = await deps.router().stream({
        model,
        options: request.options,
        requestId,
        client: request.client,
        ...(request.tags !== undefined && { tags: request.tags }),
        ...(request.preferredProvider !== undefined && { preferredProvider: request.preferredProvider }),
        onAttemptStart: recorder.onAttemptStart,
        onAttempt: recorder.onAttempt,
        ...(deps.budgets && { budgets: deps.budgets.forRequest() }),
        ...(deps.countPromptTokens !== false && { countInputTokens: promptTokenCounter(request.options) }),
      });
    } catch (error) {
      return fail(error);
    }

    // Read up to the first part after stream-start: an error there means nothing reached the caller.
    const reader = partsOf(routed);
    const head: StreamPart[] = [];
    try {
      for (;;) {
        const next = await reader.next();
        if (next.done === true) break;
        head.push(next.value);
        if (next.value.type !== 'stream-start') break;
      }
    } catch (error) {
      return fail(error);
    }
    const first = head.at(-1);
    if (first?.type === 'error') {
      // The rest is the finish part; read it so the router's request ends.
      await drain(reader);
      return fail(ProviderError.fromData(first.error));
    }
    const output: PartIterator = {
      next() {
        const held = head.shift();
        if (held !== undefined) {
          writer?.observe(held);
          return Promise.resolve({ done: false, value: held });
        }
        // Without a cache writer the router's result is handed on as it is (no extra promise).
        if (writer === undefined) return reader.next();
        const cache = writer;
        return reader.next().then((next) => {
          if (next.done !== true) cache.observe(next.value);
          return next;
        });
      },
      nextBuffered() {
        const part = head.shift() ?? reader.nextBuffered?.();
        if (part !== undefined) writer?.observe(part);
        return part;
      },
      return: () => reader.return(),
    };
    return withParts({ requestId, group: routed.group }, output);
  }

  return {
    stream,
    targets: () => deps.targets?.() ?? Promise.resolve([]),
  };
}

async function drain(reader: PartIterator): Promise<void> {
  try {
    while ((await reader.next()).done !== true);
  } catch {
    // Already failed: the error part said why.
  }
}

interface AttemptRecorderInit {
  store: Store;
  log: Log;
  newId: () => string;
  requestId: string;
  request: RoutedCallRequest;
  /** After an attempt that cost something was recorded (budgets: the spend kept for checks, alerts). */
  onSpend?: ((spend: RecordedSpend) => void) | undefined;
  /** The attempt that answered (for the response cache). */
  onSuccess?: ((origin: { provider: string; model: string; deployment: string }) => void) | undefined;
}

/** The calls row's model: local models keep their library id (`local/tiny`), as the model picker names them. */
export function recordedModel(provider: string, model: string): string {
  return provider === 'local' && !model.startsWith('local/') ? `local/${model}` : model;
}

/**
 * A request's `calls` rows: one per router attempt, begun (in flight) when the attempt starts,
 * before its model is called, and finished when it ends. A crash in between leaves the row for
 * startup recovery.
 */
function attemptRecorder(init: AttemptRecorderInit): {
  onAttemptStart: (start: AttemptStart) => void;
  onAttempt: (record: AttemptRecord) => void;
  attempts: () => number;
} {
  const { store, log, request } = init;
  const rows = new Map<number, string>();
  let started = 0;
  const failed = (what: string, cause: unknown) =>
    log('error', `request ${init.requestId}: could not ${what}: ${cause instanceof Error ? cause.message : String(cause)}`);
  return {
    attempts: () => started,
    onAttemptStart(start) {
      started++;
      const id = init.newId();
      try {
        store.calls.begin({
          id,
          requestId: init.requestId,
          attempt: start.attempt,
          fallbackDepth: start.fallbackDepth,
          conversationId: request.conversationId ?? null,
          provider: start.provider,
          model: recordedModel(start.provider, start.model),
          deployment: start.deploymentId,
          startedAt: start.startedAt,
          client: request.client,
        });
        rows.set(start.attempt, id);
      } catch (cause) {
        failed(`record attempt ${start.attempt}`, cause);
      }
    },
    onAttempt(record) {
      const id = rows.get(record.attempt);
      if (id !== undefined) {
        rows.delete(record.attempt);
        try {
          store.calls.finish(id, {
            ...usageColumns(record.usage),
            costUsd: record.costUsd ?? (record.provider === 'local' ? 0 : null),
            latencyMs: record.latencyMs,
            ttftMs: record.ttftMs ?? null,
            outcome: record.outcome,
            errorKind: record.error?.kind ?? null,
            errorMessage: record.error?.message ?? null,
            endedAt: record.startedAt + record.latencyMs,
          });
        } catch (cause) {
          failed(`finish the row of attempt ${record.attempt}`, cause);
        }
        if ((record.costUsd ?? 0) !== 0) {
          try {
            init.onSpend?.({ deployment: { id: record.deploymentId, provider: record.provider, model: record.model }, costUsd: record.costUsd ?? 0, startedAt: record.startedAt });
          } catch (cause) {
            failed('check the budgets', cause);
          }
        }
      }
      const model = recordedModel(record.provider, record.model);
      if (record.outcome === 'success') init.onSuccess?.({ provider: record.provider, model, deployment: record.deploymentId });
      try {
        request.onAttempt?.({
          type: 'attempt',
          attempt: record.attempt,
          fallbackDepth: record.fallbackDepth,
          group: record.group,
          deployment: record.deploymentId,
          provider: record.provider,
          model,
          outcome: record.outcome,
          errorKind: record.error?.kind ?? null,
          latencyMs: record.latencyMs,
          ttftMs: record.ttftMs ?? null,
        });
      } catch (cause) {
        failed(`report attempt ${record.attempt}`, cause);
      }
    },
  };
}
