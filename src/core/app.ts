import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { HOST_EVENTS, contract } from '../shared/contract';
import { type Dispatcher, createDispatcher } from './api/dispatcher';
import { type CoreServices, createHandlers } from './api/handlers';
import { type Catalog, computeCost, createCatalog } from './catalog';
import { type ConfigWatcher, type SwitchboardConfig, formatIssues, resolveConfigPath, watchConfig } from './config';
import { dataDirLayout } from './config/data-dir';
import { type Engine } from './engine/engine';
import { type EngineOptions, createEngine } from './engine/engine-client';
import { createModelLibrary } from './models/library';
import { LocalLanguageModel } from './providers/local';
import { type CostOf, type LocalModels, type ProviderRegistry, RegistryError, createProviderRegistry } from './providers/registry';
import {
  DEFAULT_ROUTER_POLICY,
  type Deployment,
  DeploymentState,
  type Random,
  type Router,
  type RouterPolicy,
  type Sleep,
  buildGroups,
  createRouter,
} from './router';
import { type LanguageModel, ProviderError } from '../shared/llm';
import {
  type Log,
  createChatService,
  createConversationsService,
  createHealthService,
  createModelsService,
  createProvidersService,
  createUsageService,
  silentLog,
  toContractFailure,
} from './services';
import { type Store, openStore } from './store';

export interface CoreOptions {
  dataDir: string;
  /** An engine the caller owns (and disposes). Without one, the core starts its own. */
  engine?: Engine;
  engineOptions?: EngineOptions;
  /** An Electron-ABI better-sqlite3 build, for the Electron main process. */
  sqliteNativeBinding?: string;
  /** Extra folders scanned for .gguf files, after `<dataDir>/models`. */
  modelFolders?: string[];
  /** The config file. Default: the data dir's switchboard.yaml (or .yml / .json). Watched and reloaded. */
  configPath?: string;
  /** Where `${ENV}` in the config and the providers' key variables are read. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  clock?: () => number;
  log?: Log;
  /**
   * Start the engine process now rather than on the first request. Hosts with a UI set it, so the
   * first message doesn't wait for the process and node-llama-cpp's backend check; one-shot CLI
   * commands leave it off.
   */
  warmEngine?: boolean;
  /** The router's timing and policy, for tests (virtual sleeps, a short breaker). Default: real time. */
  router?: { sleep?: Sleep; random?: Random; policy?: Partial<RouterPolicy> };
}

export type CoreEventListener = (name: string, data: unknown) => void;

export interface Core {
  dataDir: string;
  dispatcher: Dispatcher;
  services: CoreServices;
  engine: Engine;
  /** The providers of the config in force (rebuilt when the config file changes). */
  providers(): ProviderRegistry;
  /** The router over the config's groups in force (rebuilt on reload; breakers and health stay). */
  router(): Router;
  /** Events for the hosts to push to their pages (`config.changed`). Returns the unsubscribe. */
  onEvent(listener: CoreEventListener): () => void;
  /** Aborts chats in flight (they are still recorded), stops the engine, closes the database. */
  dispose(): Promise<void>;
}

/**
 * The composition root: the one place that builds the pieces and wires them.
 * Electron main, `switchboard serve` and the CLI all start the product through here.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const layout = dataDirLayout(options.dataDir);
  const clock = options.clock ?? Date.now;
  const log = options.log ?? silentLog;
  await mkdir(layout.models, { recursive: true });

  const env = options.env ?? process.env;
  const configPath = options.configPath ?? resolveConfigPath(options.dataDir);
  let rebuildProviders: ((config: SwitchboardConfig) => void) | undefined;
  const listeners = new Set<CoreEventListener>();
  const emit = (name: string, data: unknown) => {
    for (const listener of listeners) {
      try {
        listener(name, data);
      } catch (error) {
        log('warn', `a ${name} listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  const config: ConfigWatcher = await watchConfig(configPath, {
    env,
    onChange: (next) => {
      rebuildProviders?.(next);
      if (rebuildProviders) {
        log('info', `${configPath}: reloaded`);
        emit(HOST_EVENTS.configChanged, { path: configPath });
      }
    },
    onError: (errors) => log('warn', `${configPath} has problems; the last good config stays in force:\n${formatIssues(errors)}`),
  });

  const store = openStore({ path: layout.database, nativeBinding: options.sqliteNativeBinding });
  const ownsEngine = options.engine === undefined;
  let engine: Engine | undefined;
  try {
    engine = options.engine ?? createEngine(options.engineOptions);
    // Folders from the config are read at start; a change to them applies at the next start.
    const configFolders = config.current().models.folders.map((folder) => resolve(options.dataDir, folder.replace(/^~(?=$|[\\/])/, homedir())));
    const library = createModelLibrary({ folders: [layout.models, ...(options.modelFolders ?? []), ...configFolders] });
    const modelEngine = engine;
    const localModelFor = (entry: { id: string; path: string }) => new LocalLanguageModel({ engine: modelEngine, modelId: entry.id, modelPath: entry.path });

    const catalog = loadCatalog(log);
    const costOf = createCostOf(catalog);
    const localModels: LocalModels = {
      async resolve(modelId) {
        const entry = await library.resolve(modelId);
        return entry === undefined || entry.error !== null ? undefined : localModelFor(entry);
      },
      async describe() {
        const n = (await library.list()).filter((e) => e.error === null).length;
        return `${n} usable model${n === 1 ? '' : 's'} in ${library.folders.join(', ')}`;
      },
    };
    const buildRegistry = (next: SwitchboardConfig) => createProviderRegistry({ config: next, local: localModels, env, costOf, clock });
    let registry = buildRegistry(config.current());

    // The router over the config's groups. Its breakers and health live in one state kept across
    // rebuilds, per deployment id (`group#index`).
    const routerPolicy: RouterPolicy = { ...DEFAULT_ROUTER_POLICY, ...options.router?.policy };
    const routerClock = { now: clock };
    const routerState = new DeploymentState(routerPolicy.breaker, routerClock, routerPolicy.healthWindowMs);
    const deploymentModel = (d: Deployment): LanguageModel => ({
      provider: d.provider,
      modelId: d.model,
      capabilities: { vision: false, tools: false, reasoning: false, json: false },
      // Resolved per call, through the registry in force: `local/…` through the library.
      stream: async (callOptions) => {
        let model: LanguageModel;
        try {
          model = await registry.resolve(`${d.provider}/${d.model}`);
        } catch (error) {
          // A missing local model or an unusable provider is no reason to retry (nor a connection failure).
          if (!(error instanceof RegistryError)) throw error;
          throw new ProviderError({ kind: error.code === 'NOT_FOUND' ? 'not_found' : 'bad_request', message: error.message, provider: d.provider, retryable: false });
        }
        return model.stream(callOptions);
      },
    });
    const buildRouter = (next: SwitchboardConfig): Router => {
      const providerTypes: Record<string, string> = { local: 'local' };
      for (const [name, provider] of Object.entries(next.providers)) providerTypes[name] = provider.type;
      return createRouter({
        groups: buildGroups(next.groups, { providerTypes, ...(catalog !== undefined && { catalog }) }),
        providerTypes,
        ...(catalog !== undefined && { catalog }),
        resolveModel: deploymentModel,
        clock: routerClock,
        sleep: options.router?.sleep ?? realSleep,
        random: options.router?.random ?? Math.random,
        policy: routerPolicy,
        state: routerState,
      });
    };
    let router = buildRouter(config.current());
    rebuildProviders = (next) => {
      registry = buildRegistry(next);
      router = buildRouter(next);
    };

    const chat = createChatService({
      store,
      library,
      languageModelFor: localModelFor,
      remoteModelFor: (ref) => {
        try {
          return registry.resolveRemote(ref);
        } catch (error) {
          throw toContractFailure(error);
        }
      },
      routerFor: (model) => (Object.hasOwn(config.current().groups, model) ? router : undefined),
      clock,
      log,
    });
    chat.recoverInterrupted();

    const services: CoreServices = {
      chat,
      conversations: createConversationsService(store),
      models: createModelsService(library, { registry: () => registry, ...(catalog !== undefined && { catalog }), clock }),
      usage: createUsageService(store),
      providers: createProvidersService({ registry: () => registry, configPath, configErrors: () => config.lastError() }),
      health: createHealthService({ health: () => router.health(), describe: (id) => describeDeployment(config.current(), id) }),
    };
    const dispatcher = createDispatcher(contract, createHandlers(services), {
      onInternalError: (route, error) =>
        log('error', `${route}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });

    if (options.warmEngine) {
      modelEngine.status().catch((error: unknown) =>
        log('warn', `the engine did not start: ${error instanceof Error ? error.message : String(error)}`),
      );
    }

    let disposing: Promise<void> | undefined;
    return {
      dataDir: options.dataDir,
      dispatcher,
      services,
      engine: modelEngine,
      providers: () => registry,
      router: () => router,
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      dispose: () => {
        listeners.clear();
        config.close();
        return (disposing ??= dispose(chat.abortAll(), ownsEngine ? modelEngine : undefined, store, log));
      },
    };
  } catch (error) {
    config.close();
    if (ownsEngine) await engine?.dispose().catch(() => undefined);
    store.close();
    throw error;
  }
}

/** The group, provider and model behind a deployment id: `group#index`, or `provider/model` for an ad-hoc one. */
function describeDeployment(config: SwitchboardConfig, id: string): { group: string | null; provider: string; model: string } | undefined {
  const hash = id.lastIndexOf('#');
  if (hash > 0) {
    const group = id.slice(0, hash);
    const d = Object.hasOwn(config.groups, group) ? config.groups[group]?.deployments[Number(id.slice(hash + 1))] : undefined;
    return d && { group, provider: d.provider, model: d.model };
  }
  const slash = id.indexOf('/');
  return slash > 0 ? { group: null, provider: id.slice(0, slash), model: id.slice(slash + 1) } : undefined;
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

/** The model catalog, or undefined (with a warning) when it cannot be loaded. */
function loadCatalog(log: Log): Catalog | undefined {
  try {
    return createCatalog();
  } catch (error) {
    log('warn', `the model catalog could not be loaded; cloud calls are recorded without a cost: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** Prices calls with the catalog (a provider-reported cost, like OpenRouter's, wins). */
function createCostOf(catalog: Catalog | undefined): CostOf | undefined {
  if (catalog === undefined) return undefined;
  return (type, modelId, usage) => computeCost(catalog.lookupModel(type, modelId), usage).costUsd;
}

async function dispose(aborted: Promise<void>, engine: Engine | undefined, store: Store, log: Log): Promise<void> {
  // Chats first: their rows are written before the database closes.
  await aborted;
  try {
    await engine?.dispose();
  } catch (error) {
    log('warn', `the engine did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
  }
  store.close();
}
