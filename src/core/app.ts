import { mkdir } from 'node:fs/promises';
import { contract } from '../shared/contract';
import { type Dispatcher, createDispatcher } from './api/dispatcher';
import { type CoreServices, createHandlers } from './api/handlers';
import { dataDirLayout } from './config/data-dir';
import { type Engine } from './engine/engine';
import { type EngineOptions, createEngine } from './engine/engine-client';
import { createModelLibrary } from './models/library';
import { LocalLanguageModel } from './providers/local';
import {
  type Log,
  createChatService,
  createConversationsService,
  createModelsService,
  createUsageService,
  silentLog,
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
  clock?: () => number;
  log?: Log;
  /**
   * Start the engine process now rather than on the first request. Hosts with a UI set it, so the
   * first message doesn't wait for the process and node-llama-cpp's backend check; one-shot CLI
   * commands leave it off.
   */
  warmEngine?: boolean;
}

export interface Core {
  dataDir: string;
  dispatcher: Dispatcher;
  services: CoreServices;
  engine: Engine;
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

  const store = openStore({ path: layout.database, nativeBinding: options.sqliteNativeBinding });
  const ownsEngine = options.engine === undefined;
  let engine: Engine | undefined;
  try {
    engine = options.engine ?? createEngine(options.engineOptions);
    const library = createModelLibrary({ folders: [layout.models, ...(options.modelFolders ?? [])] });
    const modelEngine = engine;
    const chat = createChatService({
      store,
      library,
      languageModelFor: (entry) => new LocalLanguageModel({ engine: modelEngine, modelId: entry.id, modelPath: entry.path }),
      clock,
      log,
    });
    chat.recoverInterrupted();

    const services: CoreServices = {
      chat,
      conversations: createConversationsService(store),
      models: createModelsService(library),
      usage: createUsageService(store),
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
      dispose: () => (disposing ??= dispose(chat.abortAll(), ownsEngine ? modelEngine : undefined, store, log)),
    };
  } catch (error) {
    if (ownsEngine) await engine?.dispose().catch(() => undefined);
    store.close();
    throw error;
  }
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
