import { join } from 'node:path';
import { type EngineModelSettings } from '../../shared/contract/engine';
import { type EngineConfig } from '../config/config-schema';
import { type LoadOptions } from '../engine/engine';
import { type EngineOptions } from '../engine/engine-client';
import { createFileVerdictStore } from '../engine/verdict-store';
import { writeTestModel } from '../models/test-model';

const SETTING_KEYS = ['gpuLayers', 'contextSize', 'flashAttention', 'threads', 'kvCacheType'] as const;

function pick(source: Partial<Record<(typeof SETTING_KEYS)[number], unknown>>): EngineModelSettings {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) if (source[key] !== undefined) out[key] = source[key];
  return out as EngineModelSettings;
}

/** `engine.models.<id>`, found by the id as given, with or without its `local/` prefix. */
export function modelOverride(engine: EngineConfig, modelId: string): EngineModelSettings {
  const bare = modelId.startsWith('local/') ? modelId.slice('local/'.length) : modelId;
  const models = engine.models ?? {};
  const found = models[modelId] ?? models[bare] ?? models[`local/${bare}`];
  return found === undefined ? {} : pick(found);
}

/** The `engine:` defaults, then the model's override, then this load's own settings. */
export function effectiveSettings(engine: EngineConfig, modelId: string, perLoad: EngineModelSettings = {}): {
  defaults: EngineModelSettings;
  override: EngineModelSettings;
  effective: EngineModelSettings;
} {
  const defaults = pick(engine);
  const override = modelOverride(engine, modelId);
  return { defaults, override, effective: { ...defaults, ...override, ...pick(perLoad) } };
}

/** The engine's load options for settings ('auto' threads means the engine's own count). */
export function toLoadOptions(settings: EngineModelSettings): LoadOptions {
  return {
    ...(settings.gpuLayers !== undefined && { gpuLayers: settings.gpuLayers }),
    ...(settings.contextSize !== undefined && { contextSize: settings.contextSize }),
    ...(settings.flashAttention !== undefined && { flashAttention: settings.flashAttention }),
    ...(typeof settings.threads === 'number' && { threads: settings.threads }),
    ...(settings.kvCacheType !== undefined && { kvCacheType: settings.kvCacheType }),
  };
}

/** The pool's budget in bytes from `engine.memoryBudgetMiB` (null: derived from free memory). */
export function memoryBudgetBytes(engine: EngineConfig): number | null {
  return typeof engine.memoryBudgetMiB === 'number' ? engine.memoryBudgetMiB * 2 ** 20 : null;
}

/**
 * The engine's options from the config at start (the backend and threads apply at start; the budget
 * also on reload), with the GPU self-check remembered in the data dir. The host's own options win.
 */
export function engineOptionsFromConfig(engine: EngineConfig, dataDir: string, host: EngineOptions = {}, log?: (line: string) => void): EngineOptions {
  return {
    gpu: engine.gpu ?? 'auto',
    ...(typeof engine.threads === 'number' && { threads: engine.threads }),
    memoryBudgetBytes: memoryBudgetBytes(engine),
    selfCheck: {
      store: createFileVerdictStore(join(dataDir, 'gpu-check.json'), log),
      writeProbeModel: async (path) => void (await writeTestModel(path, { preset: 'tiny' })),
    },
    ...host,
  };
}
