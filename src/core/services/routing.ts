import { HOST_EVENTS, type RouteChoice } from '../../shared/contract';
import { type LocalModelEntry } from '../../shared/domain';
import { type LanguageModel, ProviderError } from '../../shared/llm';
import { type Catalog } from '../catalog';
import { LOCAL_PROVIDER, type SwitchboardConfig } from '../config';
import { type ModelLibrary } from '../models/library';
import { type ProviderRegistry, RegistryError } from '../providers/registry';
import {
  DEFAULT_ROUTER_POLICY,
  type Deployment,
  DeploymentState,
  type ModelGroup,
  type Random,
  type Router,
  type RouterPolicy,
  type Sleep,
  buildGroups,
  createDeployment,
  createRouter,
  routerPolicyFrom,
  rulesFrom,
} from '../router';
import { type Store } from '../store';
import { type BudgetsService, createBudgetsService } from './budgets';
import { type Log } from './log';
import { createResponseCache } from './response-cache';
import { type RoutedCaller, type RoutedTarget, createRoutedCaller } from './routed-call';

export interface RoutingDeps {
  /** The config in force (the watcher's current one). */
  config: () => SwitchboardConfig;
  /** The provider registry in force: each deployment's model is resolved through it per call. */
  registry: () => ProviderRegistry;
  library: ModelLibrary;
  catalog?: Catalog | undefined;
  store: Store;
  clock: () => number;
  log: Log;
  /** Host events (`budget.alert`). */
  emit: (name: string, data: unknown) => void;
  /** Tests: virtual sleeps, a seeded random, a policy over the config's. */
  sleep?: Sleep | undefined;
  random?: Random | undefined;
  policy?: Partial<RouterPolicy> | undefined;
}

export interface Routing {
  /** The router over the config in force. */
  router(): Router;
  /** The routed, metered call path every client uses. */
  calls: RoutedCaller;
  budgets: BudgetsService;
  /** Names the router resolves itself: groups, aliases, `auto`. */
  isRouted(name: string): boolean;
  /** A config reload: a new router (breakers and health stay, per deployment id). */
  reload(next: SwitchboardConfig): void;
  /** The groups and aliases callers can name (the model picker's "Groups"). */
  groups(): { groups: RouteChoice[] };
}

/**
 * The router wired to the rest of the core: groups, aliases, rules and policy from the config;
 * deployments resolved through the provider registry (`local/…` through the library); budgets
 * from recorded spend; health rebuilt from the `calls` rows of the last window at start.
 */
export function createRouting(deps: RoutingDeps): Routing {
  const { store, clock, library, catalog } = deps;
  const routerClock = { now: clock };
  const policyOf = (config: SwitchboardConfig): RouterPolicy => ({
    ...routerPolicyFrom(config.router, DEFAULT_ROUTER_POLICY),
    ...deps.policy,
  });
  const initial = policyOf(deps.config());
  const state = new DeploymentState(initial.breaker, routerClock, initial.healthWindowMs);
  restoreHealth(state, store, clock() - initial.healthWindowMs, deps.log);

  const deploymentModel = (d: Deployment): LanguageModel => ({
    provider: d.provider,
    modelId: d.model,
    capabilities: { vision: false, tools: false, reasoning: false, json: false },
    // Resolved per call, through the registry in force: `local/…` through the library.
    stream: async (callOptions) => {
      let model: LanguageModel;
      try {
        model = await deps.registry().resolve(`${d.provider}/${d.model}`);
      } catch (error) {
        // A missing local model or an unusable provider is no reason to retry (nor a connection failure).
        if (!(error instanceof RegistryError)) throw error;
        throw new ProviderError({ kind: error.code === 'NOT_FOUND' ? 'not_found' : 'bad_request', message: error.message, provider: d.provider, retryable: false });
      }
      return model.stream(callOptions);
    },
  });

  async function localFallback(): Promise<ModelGroup> {
    const wanted = deps.config().router.localFallback;
    const usable = (await library.list()).filter((e) => e.error === null);
    let entry: LocalModelEntry | undefined;
    if (wanted !== undefined) {
      entry = await library.resolve(wanted);
      if (entry === undefined || entry.error !== null) {
        throw new ProviderError({
          kind: 'budget',
          retryable: false,
          message: `a budget is spent and router.localFallback names "${wanted}", which is not a usable local model (${entry?.error ?? 'not in the library'}); local models: ${usable.map((e) => e.id).join(', ') || 'none'}`,
        });
      }
    } else {
      entry = usable[0];
      if (entry === undefined) {
        throw new ProviderError({
          kind: 'budget',
          retryable: false,
          message: `a budget is spent and its onExceeded is fallback-local, but there is no usable local model: ${await library.placementHint()}, or set onExceeded: block`,
        });
      }
    }
    const model = entry.id.startsWith(`${LOCAL_PROVIDER}/`) ? entry.id.slice(LOCAL_PROVIDER.length + 1) : entry.id;
    return {
      name: entry.id,
      strategy: 'ordered',
      deployments: [createDeployment({ provider: LOCAL_PROVIDER, providerType: 'local', model, entry: catalog?.lookupModel('local', model) })],
      fallbacks: [],
    };
  }

  const build = (next: SwitchboardConfig): Router => {
    const providerTypes: Record<string, string> = { [LOCAL_PROVIDER]: 'local' };
    for (const [name, provider] of Object.entries(next.providers)) providerTypes[name] = provider.type;
    const policy = policyOf(next);
    state.setBreakerPolicy(policy.breaker);
    return createRouter({
      groups: buildGroups(next.groups, { providerTypes, ...(catalog !== undefined && { catalog }) }),
      aliases: next.aliases,
      rules: rulesFrom(next.rules),
      providerTypes,
      ...(catalog !== undefined && { catalog }),
      resolveModel: deploymentModel,
      clock: routerClock,
      sleep: deps.sleep ?? realSleep,
      random: deps.random ?? Math.random,
      policy,
      state,
      localFallback,
    });
  };
  let router = build(deps.config());

  const budgets = createBudgetsService({
    spend: store.spend,
    budgets: () => deps.config().budgets,
    clock,
    emit: (alert) => deps.emit(HOST_EVENTS.budgetAlert, alert),
  });
  budgets.prime();

  const isRouted = (name: string): boolean => {
    const config = deps.config();
    return Object.hasOwn(config.groups, name) || Object.hasOwn(config.aliases, name) || name === 'auto';
  };

  const calls = createRoutedCaller({
    router: () => router,
    store,
    clock,
    log: deps.log,
    isRouted,
    localId: async (name) => {
      const entry = await library.resolve(name);
      return entry === undefined || entry.error !== null ? undefined : entry.id;
    },
    targets: async () => routedTargets(deps.config(), await library.list()),
    budgets,
    cache: createResponseCache({ repository: store.responseCache, settings: () => deps.config().cache, clock, log: deps.log }),
  });

  return {
    router: () => router,
    calls,
    budgets,
    isRouted,
    reload(next) {
      router = build(next);
    },
    groups: () => ({ groups: routeChoices(deps.config()) }),
  };
}

/** Health from the attempts recorded in the last window, so it is not empty after a restart. */
function restoreHealth(state: DeploymentState, store: Store, since: number, log: Log): void {
  try {
    state.restore(
      store.calls.listAttemptsSince(since).flatMap((row) => {
        if (row.deployment === null || row.outcome === null || row.outcome === 'cache_hit' || row.latencyMs === null) return [];
        return [{
          deploymentId: row.deployment,
          at: row.endedAt ?? row.startedAt,
          outcome: row.outcome,
          latencyMs: row.latencyMs,
          ...(row.ttftMs !== null && { ttftMs: row.ttftMs }),
          ...(row.errorKind !== null && { error: { kind: row.errorKind, message: row.errorMessage ?? row.errorKind } }),
        }];
      }),
    );
  } catch (error) {
    log('warn', `health could not be rebuilt from the recorded calls: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The groups (and `auto`) and aliases of a config, for the model picker. */
export function routeChoices(config: SwitchboardConfig): RouteChoice[] {
  const choices: RouteChoice[] = Object.entries(config.groups).map(([name, group]) => ({
    name,
    kind: 'group',
    targets: group.deployments.map((d) => `${d.provider}/${d.model}`),
    strategy: group.strategy ?? 'ordered',
  }));
  if (choices.length > 0 && !Object.hasOwn(config.groups, 'auto')) choices.push({ name: 'auto', kind: 'group', targets: [], strategy: 'ordered' });
  for (const [name, target] of Object.entries(config.aliases)) choices.push({ name, kind: 'alias', targets: [target], strategy: null });
  return choices;
}

/** What callers can name: groups (and `auto`), aliases, configured deployments and usable local models. */
export function routedTargets(config: SwitchboardConfig, local: readonly LocalModelEntry[]): RoutedTarget[] {
  const targets: RoutedTarget[] = Object.keys(config.groups).map((id) => ({ id, kind: 'group' }));
  if (targets.length > 0 && !Object.hasOwn(config.groups, 'auto')) targets.push({ id: 'auto', kind: 'group' });
  for (const id of Object.keys(config.aliases)) targets.push({ id, kind: 'alias' });
  const seen = new Set<string>();
  for (const group of Object.values(config.groups)) {
    for (const d of group.deployments) {
      const id = `${d.provider}/${d.model}`;
      if (d.provider === LOCAL_PROVIDER || seen.has(id)) continue;
      seen.add(id);
      targets.push({ id, kind: 'deployment', provider: d.provider, model: d.model });
    }
  }
  for (const entry of local) {
    if (entry.error === null) targets.push({ id: entry.id, kind: 'local', provider: LOCAL_PROVIDER, model: entry.id });
  }
  return targets;
}

/** Waits `ms`, or less when the signal aborts (never rejects). */
const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
