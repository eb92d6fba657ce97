import { HOST_EVENTS } from '../../shared/contract';
import { type SwitchboardConfig } from '../config';
import { type DownloadManager, DownloadFailure, type FreeSpaceProbe, type RetryPolicy, createDownloadManager, isConnectionRefused } from '../downloads';
import { type HubClient, HubError, createHubClient, hubToken, resolveHubUrl } from '../hub';
import { type MachineMemory } from '../models/fit';
import { type ModelLibrary } from '../models/library';
import { DEFAULT_OLLAMA_BASE_URL, createOllama } from '../providers/ollama';
import { type DownloadsRepository } from '../store';
import { createDownloadsService } from './downloads-service';
import { type DownloadsService, type HubService, type ModelFilesService } from './downloads-types';
import { type EstimateFit, createHubService } from './hub-service';
import { type Log } from './log';
import { createModelFilesService } from './model-files-service';

/** Test and host knobs for the download manager. */
export interface DownloadsOptions {
  freeSpace?: FreeSpaceProbe;
  stallMs?: number;
  retry?: Partial<RetryPolicy>;
  maxConcurrent?: number;
  progressIntervalMs?: number;
}

export interface DownloadsFeatureDeps {
  repository: DownloadsRepository;
  library: ModelLibrary;
  modelsDir: string;
  config: () => SwitchboardConfig;
  env: Readonly<Record<string, string | undefined>>;
  /** The engine's backend and memory, for fit badges. */
  machine: () => Promise<MachineMemory>;
  estimateFit?: EstimateFit;
  unload?: (path: string) => Promise<void>;
  emit: (name: string, data: unknown) => void;
  log: Log;
  clock?: () => number;
  options?: DownloadsOptions;
}

export interface DownloadsFeature {
  hub: HubService;
  downloads: DownloadsService;
  modelFiles: ModelFilesService;
  manager: DownloadManager;
}

/** How long the machine's memory figures are reused for fit badges. */
const MACHINE_TTL_MS = 30_000;

/**
 * Hugging Face search, the download manager (hub files and Ollama pulls) and local model files,
 * wired to the config in force: `hub.url` (else `HF_ENDPOINT`) and the configured Ollama providers.
 */
export function createDownloadsFeature(deps: DownloadsFeatureDeps): DownloadsFeature {
  let cachedClient: { url: string; client: HubClient } | undefined;
  const hubClient = (): HubClient => {
    const url = resolveHubUrl(deps.config().hub?.url, deps.env);
    if (cachedClient?.url !== url) {
      const token = hubToken(deps.env);
      cachedClient = { url, client: createHubClient({ hubUrl: url, ...(token !== undefined && { token }) }) };
    }
    return cachedClient.client;
  };

  let machineCache: { at: number; memory: Promise<MachineMemory> } | undefined;
  const clock = deps.clock ?? Date.now;
  const machine = () => {
    if (machineCache === undefined || clock() - machineCache.at > MACHINE_TTL_MS) {
      const memory = deps.machine();
      machineCache = { at: clock(), memory };
      memory.catch(() => (machineCache = undefined));
    }
    return machineCache.memory;
  };

  const manager = createDownloadManager({
    repository: deps.repository,
    modelsDir: deps.modelsDir,
    ...deps.options,
    resolveHubFile: async (repo, file, signal) => {
      try {
        return await hubClient().locate(repo, file, signal);
      } catch (error) {
        if (error instanceof HubError) throw new DownloadFailure(error.code === 'not_found' ? 'not_found' : 'network', error.message, error.code === 'unavailable');
        throw error;
      }
    },
    pullOllama: async (source, events) => {
      const { name, provider } = ollamaProvider(deps.config(), source.provider);
      try {
        await provider.pull(source.model, { signal: events.signal, onProgress: events.onProgress });
      } catch (error) {
        if (!events.signal.aborted && isConnectionRefused(error)) throw new DownloadFailure('ollama', ollamaNotRunning(provider.baseURL, name), true, { refused: true });
        throw error;
      }
    },
    onChange: (job) => deps.emit(HOST_EVENTS.downloadsProgress, job),
    ...(deps.clock !== undefined && { clock: deps.clock }),
    log: deps.log,
  });

  return {
    manager,
    hub: createHubService({ client: hubClient, machine, ...(deps.estimateFit !== undefined && { estimateFit: deps.estimateFit }) }),
    downloads: createDownloadsService(manager, deps.library),
    modelFiles: createModelFilesService({
      library: deps.library,
      modelsDir: deps.modelsDir,
      ...(deps.unload !== undefined && { unload: deps.unload }),
      ...(deps.estimateFit !== undefined && { estimateFit: deps.estimateFit }),
    }),
  };
}

/** A refused connection, said once: where we tried, and the two ways out (start it, or point the config at it). */
function ollamaNotRunning(baseURL: string, providerName: string | undefined): string {
  const setHost =
    providerName === undefined
      ? `if it runs elsewhere, add it to switchboard.yaml as a provider (providers: { ollama: { type: ollama, baseURL: "http://HOST:11434" } })`
      : `if it runs elsewhere, set providers.${providerName}.baseURL in switchboard.yaml to its address`;
  return `Ollama isn't running at ${baseURL} (connection refused). Start it (\`ollama serve\`, or the Ollama app), or ${setHost}.`;
}

/** The named Ollama provider of the config, else the first one, else Ollama's default address. */
function ollamaProvider(config: SwitchboardConfig, name: string | undefined) {
  const entries = Object.entries(config.providers).filter(([, p]) => p.type === 'ollama');
  const found = name === undefined ? entries[0] : entries.find(([n]) => n === name);
  if (name !== undefined && found === undefined) {
    throw new DownloadFailure('ollama', `No Ollama provider named "${name}" in switchboard.yaml (Ollama providers: ${entries.map(([n]) => n).join(', ') || 'none'}).`, false);
  }
  return { name: found?.[0], provider: createOllamaFrom(found?.[1]) };
}

function createOllamaFrom(settings: SwitchboardConfig['providers'][string] | undefined) {
  if (settings === undefined || settings.type !== 'ollama') return createOllama({ baseURL: DEFAULT_OLLAMA_BASE_URL });
  return createOllama({
    ...(settings.baseURL !== undefined && { baseURL: settings.baseURL }),
    ...(settings.apiKey !== undefined && { apiKey: settings.apiKey }),
    ...(settings.headers !== undefined && { headers: settings.headers }),
    ...(settings.timeoutMs !== undefined && { timeoutMs: settings.timeoutMs }),
  });
}
