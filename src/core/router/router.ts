import type { Catalog } from '../catalog';
import {
  emptyUsage,
  ProviderError,
  withParts,
  type CallOptions,
  type LanguageModel,
  type PartIterator,
  type PartSource,
  type ProviderErrorData,
  type StreamPart,
} from '../../shared/llm';
import { abortedError, runAttempt, type AttemptResult, type RequestContext } from './attempt';
import { DEFAULT_BREAKER_POLICY, type BreakerPolicy } from './circuit-breaker';
import type { Deployment } from './deployment';
import { DeploymentState } from './deployment-state';
import { filterDeployments, NoDeploymentError, requirementsOf, type Requirements } from './filters';
import type { DeploymentHealth } from './health';
import type { ModelGroup } from './model-group';
import { resolveTarget, type ResolvedVia } from './resolve-target';
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import type { AttemptRecord, AttemptStart, Clock, Random, Sleep } from './router-types';
import { matchRule, preferProvider, type RoutingRule } from './rules';
import { expectedCost, orderDeployments } from './strategies';

export interface RouterPolicy {
  retry: RetryPolicy;
  breaker: BreakerPolicy;
  /** How many fallback hops a request may take (the named group is depth 0). Default 3. */
  maxFallbackDepth: number;
  /** Health's sliding window. Default 5 minutes. */
  healthWindowMs: number;
}

/** Ad-hoc groups a router keeps resolved. */
const MAX_AD_HOC_GROUPS = 256;

export const DEFAULT_ROUTER_POLICY: RouterPolicy = {
  retry: DEFAULT_RETRY_POLICY,
  breaker: DEFAULT_BREAKER_POLICY,
  maxFallbackDepth: 3,
  healthWindowMs: 300_000,
};

/**
 * A deployment's budgets: `ok` (within them), or spent: `block` drops it; `fallback-local` drops it
 * too, and a request that then gets no answer reroutes to the local fallback.
 */
export type BudgetVerdict = 'ok' | 'block' | 'fallback-local';

/** True (within) / false (spent: dropped), or a verdict. */
export type BudgetCheck = (deployment: Deployment) => boolean | BudgetVerdict;

export interface RouterOptions {
  groups: ReadonlyMap<string, ModelGroup>;
  aliases?: Readonly<Record<string, string>>;
  /** Configured provider name → type; enables `provider/model` and bare names by convention. */
  providerTypes?: Readonly<Record<string, string>>;
  localModels?: readonly string[];
  catalog?: Pick<Catalog, 'lookupModel'>;
  rules?: readonly RoutingRule[];
  /** The model behind a deployment (the provider registry's `languageModel`). */
  resolveModel: (deployment: Deployment) => LanguageModel;
  clock: Clock;
  sleep: Sleep;
  random: Random;
  policy?: Partial<RouterPolicy>;
  /** Whether a deployment is within its budgets (a request's own check wins). Default: always within. */
  budgets?: BudgetCheck;
  /**
   * The group a request reroutes to when a `fallback-local` budget dropped a deployment and
   * nothing else answered (fallback depth one past the deepest tried). Rejects, with the reason,
   * when there is no usable local model: the request then fails with a `budget` error.
   */
  localFallback?: () => Promise<ModelGroup>;
  /** Called exactly once per attempt, when it ends. Errors it throws are ignored. */
  onAttempt?: (record: AttemptRecord) => void;
  /** Called once per attempt when it starts, before its model is called. Errors it throws are ignored. */
  onAttemptStart?: (start: AttemptStart) => void;
  newRequestId?: () => string;
  /**
   * Breakers, attempts in flight and health, kept outside the router so that a router rebuilt on a
   * config reload keeps them per deployment id. Default: the router's own.
   */
  state?: DeploymentState;
}

export interface RouteRequest {
  /** A group, an alias, `provider/model`, `auto`, or a bare model name. */
  model: string;
  options: CallOptions;
  requestId?: string;
  /** Use-case tags, for rules (`coding`). */
  tags?: readonly string[];
  /** chat, cli, gateway… for rules. */
  client?: string;
  /** Its deployments go first when the group has any that can take the request. */
  preferredProvider?: string;
  /** Prompt tokens, counted by the caller; enables the context-window filter. */
  inputTokens?: number;
  /** This request's budget check (for example with spend read once per request); wins over the router's. */
  budgets?: BudgetCheck;
  /**
   * Without `inputTokens`: counts the prompt for a group's context filter, given its deployments
   * (called before each group's filters; undefined when no count is needed, e.g. it fits every
   * window by a safe bound). The caller keeps one count per request.
   */
  countInputTokens?: (deployments: readonly Deployment[]) => Promise<{ tokens: number; estimated: boolean } | undefined>;
  /** This request's attempts, as they start (after the router-wide `onAttemptStart`). */
  onAttemptStart?: (start: AttemptStart) => void;
  /** This request's attempts, as they end (after the router-wide `onAttempt`). */
  onAttempt?: (record: AttemptRecord) => void;
}

/** `stream`, or `parts` for the same parts without a web stream's costs (one or the other). */
export interface RoutedStream extends PartSource {
  requestId: string;
  /** The group the request started in, and how the name resolved (or `rule`). */
  group: string;
  via: ResolvedVia | 'rule';
}

export interface Router {
  /**
   * Routes one request. Rejects (not_found) only when the model name resolves to nothing;
   * everything after that ends in the stream: stream-start first, exactly one finish last,
   * and an `error` part before it when the request failed.
   */
  stream(request: RouteRequest): Promise<RoutedStream>;
  /**
   * The group a request would start in (a rule, else the name), without calling anything. Throws
   * the not_found ProviderError `stream` would reject with.
   */
  resolve(request: Pick<RouteRequest, 'model' | 'options' | 'tags' | 'client'>): { group: ModelGroup; via: ResolvedVia | 'rule' };
  /** Health of every deployment the router has seen or knows from its groups. */
  health(): DeploymentHealth[];
  /** Attempts in flight per deployment id. */
  inFlight(deploymentId: string): number;
}

export function createRouter(options: RouterOptions): Router {
  const policy: RouterPolicy = { ...DEFAULT_ROUTER_POLICY, ...options.policy };
  const { clock, sleep, random } = options;
  const state = options.state ?? new DeploymentState(policy.breaker, clock, policy.healthWindowMs);
  const turns = new Map<string, number>();
  let requestCounter = 0;
  const newRequestId = options.newRequestId ?? (() => `req-${++requestCounter}-${Math.floor(random() * 1e9).toString(36)}`);

  for (const group of options.groups.values()) for (const d of group.deployments) state.know(d);

  const safely = <T>(hooks: Array<((value: T) => void) | undefined>, value: T): void => {
    for (const hook of hooks) {
      try {
        hook?.(value);
      } catch {
        // The recorder's failure must not change the request's outcome.
      }
    }
  };

  /** The request's parts, in batches (see `runAttempt`). */
  function run(request: RouteRequest, requestId: string, start: ModelGroup, signal: AbortSignal, onReader: RequestContext['onReader']): AsyncGenerator<StreamPart[], void> {
    let requirements: Requirements = requirementsOf(request.options, request.inputTokens);
    const visited = new Set<string>();
    const ctx: RequestContext = {
      requestId,
      options: request.options,
      signal,
      clock,
      state,
      resolveModel: options.resolveModel,
      // Methods rather than arrow properties: under tsx (keepNames) each named closure made per
      // request costs a defineProperty; a router makes these for every request.
      report(record) {
        safely([options.onAttempt, request.onAttempt], record);
      },
      reportStart(start) {
        safely([options.onAttemptStart, request.onAttemptStart], start);
      },
      onReader,
      progress: { attempts: 0, committed: false },
    };
    const check = request.budgets ?? options.budgets;
    let wantsLocal = false;
    let deepest = 0;

    async function* runGroup(group: ModelGroup, depth: number): AsyncGenerator<StreamPart[], AttemptResult> {
      if (request.inputTokens === undefined && request.countInputTokens) {
        const counted = await request.countInputTokens(group.deployments);
        if (counted !== undefined) requirements = { ...requirementsOf(request.options, counted.tokens), inputTokensEstimated: counted.estimated };
      }
      const now = clock.now();
      deepest = Math.max(deepest, depth);
      for (const d of group.deployments) state.know(d);
      const { kept, dropped } = filterDeployments(group.deployments, {
        requirements,
        now,
        budgetSpent(d) {
          const verdict = check?.(d) ?? true;
          if (verdict === 'fallback-local') wantsLocal = true;
          return verdict !== true && verdict !== 'ok';
        },
        coolingDownUntil(d) {
          return state.breaker(d).blockedUntil();
        },
      });
      if (kept.length === 0) return { kind: 'failed', error: new NoDeploymentError(group.name, dropped, now).toData() };

      const turn = turns.get(group.name) ?? 0;
      turns.set(group.name, turn + 1);
      const inputEstimate = requirements.inputTokens ?? 1_000;
      const outputEstimate = request.options.maxOutputTokens ?? 1_000;
      const order = preferProvider(
        orderDeployments(group.strategy, kept, {
          random,
          turn,
          latencyOf(d) {
            return state.p50LatencyMs(d);
          },
          inFlight(d) {
            return state.inFlight(d.id);
          },
          costOf(d) {
            return expectedCost(d, inputEstimate, outputEstimate);
          },
        }),
        request.preferredProvider,
      );

      const failed = new Set<string>();
      let retriesUsed = 0;
      let current = order[0]!;
      for (;;) {
        const result = yield* runAttempt(ctx, current, group, depth);
        if (result.kind !== 'failed') return result;
        failed.add(current.id);
        const peers = order.filter((d) => !failed.has(d.id) && state.breaker(d).canAttempt());
        const decision = decideRetry({ error: result.error, retriesUsed, healthyPeer: peers.length > 0, policy: policy.retry, random });
        if (decision.action === 'give-up') return result;
        retriesUsed++;
        if (decision.action === 'switch') {
          current = peers[0]!;
          continue;
        }
        // Every breaker open (this attempt may have opened the last one): waiting would not help.
        if (!order.some((d) => state.breaker(d).canAttempt())) return result;
        await sleep(decision.delayMs, signal);
        if (signal.aborted) return { kind: 'terminal', error: abortedError(), usage: emptyUsage() };
        const next = [current, ...order].find((d) => state.breaker(d).canAttempt());
        if (!next) return result;
        current = next;
      }
    }

    const fallbacksFor = (group: ModelGroup, error: ProviderErrorData): string[] => {
      if (error.kind === 'context_length' && group.contextWindowFallbacks) return group.contextWindowFallbacks;
      if (error.kind === 'content_filter' && group.contentPolicyFallbacks) return group.contentPolicyFallbacks;
      return group.fallbacks;
    };

    async function* tryGroup(group: ModelGroup, depth: number): AsyncGenerator<StreamPart[], AttemptResult> {
      visited.add(group.name);
      let result = yield* runGroup(group, depth);
      if (result.kind !== 'failed' || depth >= policy.maxFallbackDepth) return result;
      for (const name of fallbacksFor(group, result.error)) {
        const next = options.groups.get(name);
        if (!next || visited.has(name)) continue;
        result = yield* tryGroup(next, depth + 1);
        if (result.kind !== 'failed') return result;
      }
      return result;
    }

    /** A spent `fallback-local` budget dropped a deployment and nothing answered: the local model's turn. */
    async function* budgetFallback(failed: AttemptResult): AsyncGenerator<StreamPart[], AttemptResult> {
      if (failed.kind !== 'failed' || !wantsLocal || !options.localFallback || signal.aborted) return failed;
      let local: ModelGroup;
      try {
        local = await options.localFallback();
      } catch (error) {
        return { kind: 'failed', error: ProviderError.from(error, { kind: 'budget', retryable: false }).toData() };
      }
      if (visited.has(local.name)) return failed;
      return yield* tryGroup(local, deepest + 1);
    }

    return (async function* () {
      let result = yield* tryGroup(start, 0);
      // Only on failure, so a request that is answered streams through one generator less.
      if (result.kind === 'failed') result = yield* budgetFallback(result);
      if (result.kind === 'done') return;
      const last: StreamPart[] = [];
      if (!ctx.progress.committed) {
        ctx.progress.committed = true;
        last.push({ type: 'stream-start', warnings: [] });
      }
      last.push(
        { type: 'error', error: result.error },
        {
          type: 'finish',
          usage: result.kind === 'terminal' ? result.usage : emptyUsage(),
          finishReason: { unified: result.error.kind === 'aborted' ? 'aborted' : 'error' },
        },
      );
      yield last;
    })();
  }

  const table = {
    groups: options.groups,
    providerTypes: options.providerTypes ?? {},
    ...(options.aliases && { aliases: options.aliases }),
    ...(options.localModels && { localModels: options.localModels }),
    ...(options.catalog && { catalog: options.catalog }),
  };
  // Names resolved to ad-hoc groups (`provider/model`, conventions), kept for this router's life
  // (it is rebuilt on config change): the catalog look-up is not repeated per request. Bounded,
  // since callers can send any name.
  const adHoc = new Map<string, ReturnType<typeof resolveTarget>>();
  const resolve: Router['resolve'] = (request) => {
    const rule = matchRule(options.rules ?? [], request);
    const name = rule ? rule.use : request.model;
    let resolved = adHoc.get(name);
    if (resolved === undefined) {
      resolved = resolveTarget(name, table);
      if (resolved.via === 'provider-model' || resolved.via === 'convention') {
        if (adHoc.size >= MAX_AD_HOC_GROUPS) adHoc.clear();
        adHoc.set(name, resolved);
      }
    }
    return rule ? { group: resolved.group, via: 'rule' } : resolved;
  };

  return {
    resolve,
    async stream(request) {
      const resolved = resolve(request);
      const requestId = request.requestId ?? newRequestId();
      const controller = new AbortController();
      const outer = request.options.abortSignal;
      const onAbort = () => controller.abort(outer?.reason);
      if (outer?.aborted) onAbort();
      else outer?.addEventListener('abort', onAbort, { once: true });
      let reader: PartIterator | undefined;
      const parts = run(request, requestId, resolved.group, controller.signal, (r) => (reader = r));
      const done = () => outer?.removeEventListener('abort', onAbort);
      let ended = false;
      let batch: StreamPart[] = [];
      let index = 0;
      const output: PartIterator = {
        async next() {
          if (index < batch.length) return { done: false, value: batch[index++] as StreamPart };
          try {
            const next = await parts.next();
            if (next.done === true) {
              ended = true;
              done();
              return { done: true, value: undefined };
            }
            batch = next.value;
            index = 1;
            return { done: false, value: batch[0] as StreamPart };
          } catch (e) {
            ended = true;
            done();
            throw e;
          }
        },
        nextBuffered() {
          return index < batch.length ? batch[index++] : undefined;
        },
        // The caller stopped reading: abort the attempt under way (it is recorded as aborted).
        async return() {
          if (ended) return { done: true, value: undefined };
          ended = true;
          controller.abort();
          void reader?.return().catch(() => undefined);
          done();
          await parts.return(undefined);
          return { done: true, value: undefined };
        },
      };
      return withParts({ requestId, group: resolved.group.name, via: resolved.via }, output);
    },

    health: () => state.health(),
    inFlight: (deploymentId) => state.inFlight(deploymentId),
  };
}
