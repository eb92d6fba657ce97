import { HOST_EVENTS } from '../../shared/contract';
import {
  type BackendCheckInfo,
  type EngineModelSettings,
  type EngineProgressEvent,
  type EngineSettingsView,
  type EngineStatusInfo,
  type LoadedModelInfo,
  type ModelActivity,
} from '../../shared/contract/engine';
import { type LocalModelEntry } from '../../shared/domain';
import { ProviderError } from '../../shared/llm';
import { ContractFailure } from '../api/contract-failure';
import { type EngineConfig } from '../config/config-schema';
import { type Engine, type EngineEvent, type LoadedModel } from '../engine/engine';
import { effectiveSettings, memoryBudgetBytes, toLoadOptions } from './engine-settings';

export interface EngineServiceDeps {
  engine: Engine;
  library: { list(): Promise<LocalModelEntry[]>; resolve(modelId: string): Promise<LocalModelEntry | undefined> };
  /** The `engine:` section in force. */
  config: () => EngineConfig;
  emit: (name: string, data: unknown) => void;
  clock?: () => number;
}

export interface EngineService {
  status(): Promise<EngineStatusInfo>;
  load(input: { model: string; settings?: EngineModelSettings | undefined; replace?: string | undefined }): Promise<LoadedModelInfo>;
  unload(model: string): Promise<{ unloaded: boolean }>;
  settings(model: string): Promise<EngineSettingsView>;
  selfCheck(force: boolean): Promise<BackendCheckInfo>;
  /** A reloaded config: the memory budget applies now (the backend and threads at the next start). */
  applyConfig(next: EngineConfig): Promise<void>;
  dispose(): void;
}

/** States after which a model is no longer "on its way": it is loaded, or gone. */
const SETTLED = new Set(['ready', 'unloaded', 'evicted']);

/**
 * Engine control for the UI and the CLI: model ids to files, settings from the config, and the
 * engine's events as `engine.progress` host events (with the id the UI knows the model by).
 */
export function createEngineService(deps: EngineServiceDeps): EngineService {
  const clock = deps.clock ?? Date.now;
  const ids = new Map<string, string>();
  const activity = new Map<string, ModelActivity>();
  let budget = memoryBudgetBytes(deps.config());

  const remember = (entries: readonly LocalModelEntry[]) => {
    for (const entry of entries) ids.set(entry.path, entry.id);
  };
  const idOf = (path: string) => ids.get(path) ?? null;

  const unsubscribe = deps.engine.onEvent((event) => {
    const payload = toProgressEvent(event, idOf);
    if (event.type === 'model') {
      if (SETTLED.has(event.state)) activity.delete(event.path);
      else {
        activity.set(event.path, {
          id: idOf(event.path),
          path: event.path,
          state: event.state,
          // A state without progress keeps the last one (warming follows loading at 1).
          progress: event.progress ?? activity.get(event.path)?.progress ?? null,
          message: event.message ?? null,
          at: clock(),
        });
      }
    }
    if (event.type === 'engine' && event.state !== 'started') activity.clear();
    // A start is no news to a page (a crash or a stop is: the models are gone).
    if (event.type === 'engine' && event.state === 'started') return;
    deps.emit(HOST_EVENTS.engineProgress, payload);
  });

  const resolve = async (model: string): Promise<LocalModelEntry> => {
    const entry = await deps.library.resolve(model);
    if (entry === undefined) throw new ContractFailure('NOT_FOUND', `no local model "${model}"; see models.local.list for the files in your models folders`);
    if (entry.error !== null) throw new ContractFailure('VALIDATION_FAILED', entry.error);
    ids.set(entry.path, entry.id);
    return entry;
  };

  const view = (model: LoadedModel): LoadedModelInfo => ({ id: idOf(model.path), ...model });

  return {
    async status() {
      const [status, entries] = await Promise.all([engineCall(() => deps.engine.status()), deps.library.list()]);
      remember(entries);
      return {
        pid: status.pid,
        backend: status.backend,
        threads: status.threads,
        ram: status.ram,
        vram: status.vram,
        restarts: status.restarts,
        memoryBudget: status.memoryBudget,
        selfCheck: status.selfCheck,
        models: status.models.map(view),
        activity: [...activity.values()].map((a) => ({ ...a, id: a.id ?? idOf(a.path) })),
      };
    },

    async load({ model, settings, replace }) {
      const entry = await resolve(model);
      const options = toLoadOptions(effectiveSettings(deps.config(), entry.id, settings).effective);
      activity.delete(entry.path);
      if (replace !== undefined) {
        const old = await resolve(replace);
        return view(await engineCall(() => deps.engine.swap(old.path, entry.path, options)));
      }
      return view(await engineCall(() => deps.engine.load(entry.path, options)));
    },

    async unload(model) {
      const entry = await resolve(model);
      const loaded = (await engineCall(() => deps.engine.status())).models.some((m) => m.path === entry.path);
      await engineCall(() => deps.engine.unload(entry.path));
      return { unloaded: loaded };
    },

    async settings(model) {
      const entry = await resolve(model);
      return { id: entry.id, ...effectiveSettings(deps.config(), entry.id) };
    },

    selfCheck: (force) => engineCall(() => deps.engine.checkBackends({ force })),

    async applyConfig(next) {
      const bytes = memoryBudgetBytes(next);
      if (bytes === budget) return;
      budget = bytes;
      await engineCall(() => deps.engine.setMemoryBudget(bytes));
    },

    dispose: unsubscribe,
  };
}

function toProgressEvent(event: EngineEvent, idOf: (path: string) => string | null): EngineProgressEvent {
  switch (event.type) {
    case 'model':
      return { kind: 'model', id: idOf(event.path), path: event.path, state: event.state, progress: event.progress ?? null, message: event.message ?? null };
    case 'backend':
      return { kind: 'backend', backend: event.backend, state: event.state, message: event.message ?? null };
    case 'engine':
      return { kind: 'engine', state: event.state, backend: event.backend ?? null, message: event.message ?? null };
  }
}

/** Engine failures reach the caller as contract errors that say what went wrong. */
async function engineCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ProviderError) {
      const code = error.kind === 'not_found' ? 'NOT_FOUND' : error.kind === 'bad_request' || error.kind === 'context_length' ? 'VALIDATION_FAILED' : 'UNAVAILABLE';
      throw new ContractFailure(code, error.message);
    }
    throw error;
  }
}
