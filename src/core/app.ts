import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HOST_EVENTS, contract } from '../shared/contract';
import { type Dispatcher, createDispatcher } from './api/dispatcher';
import { type CoreServices, createHandlers } from './api/handlers';
import { createAttachmentStore } from './attachments/attachment-store';
import { type Catalog, computeCost, createCatalog } from './catalog';
import { type ConfigWatcher, type SwitchboardConfig, formatIssues, resolveConfigPath, watchConfig } from './config';
import { dataDirLayout } from './config/data-dir';
import { type Engine } from './engine/engine';
import { type EngineOptions, createEngine } from './engine/engine-client';
import { createEngineService } from './services/engine-service';
import { effectiveSettings, engineOptionsFromConfig, toLoadOptions } from './services/engine-settings';
import { createModelLibrary, resolveModelFolder } from './models/library';
import { LocalEmbeddingModel, LocalLanguageModel } from './providers/local';
import { type CostOf, type LocalModels, type ProviderRegistry, createProviderRegistry } from './providers/registry';
import { type Random, type Router, type RouterPolicy, type Sleep } from './router';
import {
  type Log,
  createAttachmentsService,
  createConversationEditsService,
  createChatService,
  createCompareService,
  createConversationsService,
  createHealthService,
  createModelsService,
  createProvidersService,
  createUsageService,
  silentLog,
  toContractFailure,
} from './services';
import { type RoutedCaller } from './services/routed-call';
import { createRouting } from './services/routing';
import { type EmbeddingCaller, createEmbeddingCaller } from './services/embedding-call';
import { createGatewayTokensService } from './services/gateway-tokens-service';
import { createAssistantsService } from './services/assistants-service';
import { openGatewayTokens } from './gateway/gateway-tokens';
import { startGateway } from './gateway/start-gateway';
import { type GatewayControl, createGatewayControl } from './services/gateway-control-service';
import { type SecretStore, createFileSecretStore, createSecretEnv } from './secrets';
import { createSettingsService, openAppSettings } from './services';
import { type Store, openStore } from './store';
import { type DownloadsOptions, createDownloadsFeature } from './services/downloads-feature';

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
  /**
   * Where keys typed in settings are kept; they fill the names `env` leaves unset. Default: a 0600
   * `secrets.json` in the data dir. Electron passes its safeStorage store.
   */
  secrets?: SecretStore;
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
  /** The download manager's knobs, for tests (a free-space probe, a short stall timeout, fast retries). */
  downloads?: DownloadsOptions;
  /**
   * Pick up download jobs an earlier run left queued, running or stalled. Default true: the
   * long-lived hosts (the app, `serve`). One-shot CLI commands pass false, so `models list` never
   * starts someone's downloads; `models download` still continues its own job (`downloads.start`
   * revives an unfinished job of the same file).
   */
  resumeDownloads?: boolean;
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
  /**
   * The one routed, metered call path: chat, the CLI and the HTTP gateway call models through it.
   * Every attempt writes one `calls` row (a request that reached no deployment, one request-level row).
   */
  calls: RoutedCaller;
  /** Embeddings by `provider/model` or local id, metered like chat: one `calls` row per request (the gateway's /v1/embeddings). */
  embeddings: EmbeddingCaller;
  /** The config in force (the last good one). */
  config(): SwitchboardConfig;
  /** The HTTP gateway's switch: a host (serve, the app) calls `gateway.host(flags)` to run it; it follows `gateway:` edits. */
  gateway: GatewayControl;
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

  const secretStore = options.secrets ?? createFileSecretStore(join(options.dataDir, 'secrets.json'));
  // The environment first, then the stored keys: `${NAME}` in the file and the vendors' variables find both.
  const secrets = await createSecretEnv(options.env ?? process.env, secretStore);
  const secretsProblem = secrets.problem();
  if (secretsProblem !== undefined) log('warn', secretsProblem);
  const env = secrets.env;
  const configPath = options.configPath ?? resolveConfigPath(options.dataDir);
  let rebuildProviders: ((config: SwitchboardConfig) => void) | undefined;
  let applyEngineConfig: ((config: SwitchboardConfig) => void) | undefined;
  let applyGatewayConfig: (() => void) | undefined;
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
  // Until one load succeeds there is no "last good" config: the app runs on the empty one (only the local engine).
  let loadedGood = false;
  const config: ConfigWatcher = await watchConfig(configPath, {
    env,
    onChange: (next) => {
      loadedGood = true;
      rebuildProviders?.(next);
      applyGatewayConfig?.();
      if (rebuildProviders) {
        log('info', `${configPath}: reloaded`);
        emit(HOST_EVENTS.configChanged, { path: configPath });
      }
    },
    onError: (errors) =>
      log(
        'warn',
        `${configPath} has problems; ${loadedGood ? 'the last good config stays in force' : 'running without it (only the local engine) until it is fixed'}:\n${formatIssues(errors)}`,
      ),
  });

  const store = openStore({ path: layout.database, nativeBinding: options.sqliteNativeBinding, log });
  const ownsEngine = options.engine === undefined;
  let engine: Engine | undefined;
  try {
    engine = options.engine ?? createEngine(engineOptionsFromConfig(config.current().engine, options.dataDir, options.engineOptions, (line) => log('warn', line)));
    // Folders from the config are read at start; a change to them applies at the next start.
    const configFolders = config.current().models.folders.map((folder) => resolveModelFolder(options.dataDir, folder));
    const library = createModelLibrary({
      folders: [layout.models, ...(options.modelFolders ?? []), ...configFolders],
      listed: { setting: 'models.folders', source: configPath, folders: configFolders },
      warn: (message) => log('warn', message),
    });
    const modelEngine = engine;
    // Loads on demand use the model's settings from the config in force (`engine:` and `engine.models.<id>`).
    const localModelFor = (entry: { id: string; path: string }) =>
      new LocalLanguageModel({ engine: modelEngine, modelId: entry.id, modelPath: entry.path, loadOptions: toLoadOptions(effectiveSettings(config.current().engine, entry.id).effective) });

    const catalog = loadCatalog(log);
    const costOf = createCostOf(catalog);
    const localModels: LocalModels = {
      async resolve(modelId) {
        const entry = await library.resolve(modelId);
        return entry === undefined || entry.error !== null ? undefined : localModelFor(entry);
      },
      async describe() {
        const n = (await library.list()).filter((e) => e.error === null).length;
        return `${n} usable model${n === 1 ? '' : 's'} in ${(await library.checkFolders()).existing.join(', ')}`;
      },
    };
    const buildRegistry = (next: SwitchboardConfig) => createProviderRegistry({ config: next, local: localModels, env, costOf, clock });
    let registry = buildRegistry(config.current());

    // The router and the one routed, metered call path (chat, CLI, gateway): its breakers and
    // health stay across config reloads, budgets read the recorded spend.
    const routing = createRouting({
      config: () => config.current(),
      registry: () => registry,
      library,
      catalog,
      store,
      clock,
      log,
      emit,
      sleep: options.router?.sleep,
      random: options.router?.random,
      policy: options.router?.policy,
    });
    rebuildProviders = (next) => {
      applyEngineConfig?.(next);
      registry = buildRegistry(next);
      routing.reload(next);
    };

    // Files no message refers to are swept now and after each truncation, past a grace period.
    const attachments = createAttachmentsService(createAttachmentStore(join(options.dataDir, 'attachments')), {
      // Compare runs keep their prompt's images too (Continue in chat refers to them later).
      inUse: () => new Set([...store.messages.attachmentIdsInUse(), ...store.compare.attachmentIdsInUse()]),
      log,
    });
    attachments.sweep().catch((error: unknown) => log('warn', `attachments: the startup sweep failed: ${error instanceof Error ? error.message : String(error)}`));
    const embeddings = createEmbeddingCaller({
      registry: () => registry,
      localModel: async (name) => {
        const entry = await library.resolve(name);
        return entry === undefined || entry.error !== null ? undefined : new LocalEmbeddingModel({ engine: modelEngine, modelId: entry.id, modelPath: entry.path });
      },
      store,
      clock,
      log,
      ...(costOf !== undefined && { costOf: (type, modelId, inputTokens) => costOf(type, modelId, { inputTokens: { total: inputTokens }, outputTokens: { total: 0 } }) }),
    });
    const calls = routing.calls;
    // Assistants: presets in switchboard.yaml; a model ref is checked as a chat would resolve it.
    const assistants = createAssistantsService({
      configPath,
      config: () => config.current(),
      reloadConfig: () => config.reload(),
      env: () => secrets.env,
      store,
      checkModel: async (ref) => {
        if (routing.isRouted(ref)) return null;
        try {
          if (registry.resolveRemote(ref) !== undefined) return null;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
        const entry = await library.resolve(ref);
        if (entry === undefined) return `unknown model "${ref}": not a group, an alias, a configured provider's provider/model or a local model in ${(await library.checkFolders()).existing.join(', ')}`;
        return entry.error === null ? null : `model "${entry.id}" cannot be used: ${entry.error}`;
      },
    });
    const chat = createChatService({
      assistants,
      store,
      library,
      calls,
      isRouted: routing.isRouted,
      attachments,
      remoteModelFor: (ref) => {
        try {
          return registry.resolveRemote(ref);
        } catch (error) {
          throw toContractFailure(error);
        }
      },
      clock,
      log,
    });
    chat.recoverInterrupted();
    // Compare: one prompt to several models, each column its own routed call (client `compare`).
    const compare = createCompareService({
      calls, store, attachments, clock, log,
      // Sweep now: images only the deleted run referred to go once past their grace period.
      onRunDeleted: () =>
        void attachments.sweep().catch((error: unknown) => log('warn', `attachments: the sweep after a deleted comparison failed: ${error instanceof Error ? error.message : String(error)}`)),
    });
    compare.recoverInterrupted();

    const engineService = createEngineService({ engine: modelEngine, library, config: () => config.current().engine, emit, clock });
    applyEngineConfig = (next) =>
      engineService.applyConfig(next.engine).catch((error: unknown) => log('warn', `the engine's memory budget was not applied: ${error instanceof Error ? error.message : String(error)}`));
    const appSettings = await openAppSettings(join(options.dataDir, 'app-settings.json'), log);
    const settings = createSettingsService({
      dataDir: options.dataDir,
      configPath,
      config: () => config.current(),
      configErrors: () => config.lastError(),
      reloadConfig: () => config.reload(),
      registry: () => registry,
      secrets,
      secretStore,
      appSettings,
      emit,
      log,
    });
    const gatewayTokens = openGatewayTokens(options.dataDir, clock);
    const gateway = createGatewayControl({
      config: () => config.current().gateway,
      start: (where) => startGateway({ dataDir: options.dataDir, calls, embeddings, config: () => config.current() }, { ...where, tokens: gatewayTokens, log }),
      configPath,
      env,
      reloadConfig: () => config.reload(),
      emit,
      log,
    });
    applyGatewayConfig = () => gateway.configChanged();
    const health = createHealthService({ health: () => routing.router().health(), describe: (id) => describeDeployment(config.current(), id) });
    const services: CoreServices = {
      chat,
      compare,
      conversations: createConversationsService(store),
      attachments,
      conversationEdits: createConversationEditsService(store, {
        releaseAttachments: (ids) =>
          void attachments.release(ids).catch((error: unknown) => log('warn', `attachments: the sweep after a truncation failed: ${error instanceof Error ? error.message : String(error)}`)),
      }),
      models: createModelsService(library, { registry: () => registry, ...(catalog !== undefined && { catalog }), clock }),
      // The dashboard prices local runs with the catalog and shows each deployment's live breaker.
      usage: createUsageService(store, { catalog, breakers: () => health.list().deployments }),
      providers: createProvidersService({ registry: () => registry, configPath, configErrors: () => config.lastError() }),
      health,
      budgets: routing.budgets,
      routing,
      settings,
      engine: engineService,
      gatewayTokens: createGatewayTokensService(gatewayTokens),
      assistants,
      gateway,
    };
    // Hugging Face search, downloads (a long-lived host resumes jobs a previous run left unfinished), model files.
    const downloadsFeature = createDownloadsFeature({
      repository: store.downloads,
      library,
      modelsDir: layout.models,
      config: () => config.current(),
      env,
      machine: () => modelEngine.status(),
      unload: (path) => modelEngine.unload(path),
      // GgufInsights runs in the engine process, on the backend it really uses.
      estimateFit: async (source, signal) => {
        const fit = await modelEngine.fit('path' in source ? { source: source.path } : { source: source.url, ...(source.headers !== undefined && { headers: source.headers }) }, signal);
        return { ...fit, basis: 'gguf-insights' };
      },
      emit,
      log,
      clock,
      ...(options.downloads !== undefined && { options: options.downloads }),
    });
    Object.assign(services, { hub: downloadsFeature.hub, downloads: downloadsFeature.downloads, modelFiles: downloadsFeature.modelFiles });
    if (options.resumeDownloads ?? true) downloadsFeature.manager.resumeUnfinished();
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
      router: routing.router,
      calls,
      embeddings,
      config: () => config.current(),
      gateway,
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      dispose: () => {
        listeners.clear();
        engineService.dispose();
        config.close();
        // The gateway first: no new requests while the chats in flight are aborted and recorded.
        return (disposing ??= gateway
          .close()
          .then(() => dispose(Promise.all([chat.abortAll(), compare.abortAll(), downloadsFeature.manager.close(), attachments.idle()]).then(() => undefined), ownsEngine ? modelEngine : undefined, store, log)));
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
