import { z } from 'zod';
import { route } from './route';

/** The KV cache element types the engine takes (core/engine's KV_CACHE_TYPES; a test keeps them equal). */
export const ENGINE_KV_CACHE_TYPES = ['f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'q5_0', 'q5_1'] as const;
export const GPU_BACKENDS = ['cuda', 'vulkan', 'metal'] as const;
export const MODEL_STATES = ['waiting', 'loading', 'warming', 'compiling-shaders', 'ready', 'failed', 'unloaded', 'evicted'] as const;

const backendSchema = z.enum(GPU_BACKENDS);
const backendOrCpuSchema = z.enum([...GPU_BACKENDS, 'cpu']);

/** One model's engine settings; each one left out takes the engine default. */
export const engineModelSettingsSchema = z.strictObject({
  /** auto: fit to free VRAM; max: every layer; or a number of layers. */
  gpuLayers: z.union([z.literal('auto'), z.literal('max'), z.number().int().min(0).max(10_000)]).optional(),
  contextSize: z.union([z.literal('auto'), z.number().int().min(128).max(10_000_000)]).optional(),
  flashAttention: z.boolean().optional(),
  threads: z.union([z.literal('auto'), z.number().int().min(1).max(1024)]).optional(),
  /** Advanced. Block-quantized types (q…) need flash attention. */
  kvCacheType: z.enum(ENGINE_KV_CACHE_TYPES).optional(),
});
export type EngineModelSettings = z.infer<typeof engineModelSettingsSchema>;

export const backendVerdictSchema = z.object({
  backend: backendSchema,
  status: z.enum(['ok', 'broken', 'unavailable']),
  reason: z.string(),
  checkedAt: z.number(),
  durationMs: z.number().optional(),
  devices: z.array(z.string()).optional(),
});
export type BackendVerdictInfo = z.infer<typeof backendVerdictSchema>;

export const backendCheckSchema = z.object({
  setting: z.union([z.literal('auto'), backendSchema, z.literal(false)]),
  chosen: backendOrCpuSchema,
  verdicts: z.array(backendVerdictSchema),
  fromCache: z.boolean(),
  machine: z.string(),
});
export type BackendCheckInfo = z.infer<typeof backendCheckSchema>;

export const loadedModelInfoSchema = z.object({
  /** The library id (`local/name`), or null when the file is no longer in a models folder. */
  id: z.string().nullable(),
  path: z.string(),
  contextSize: z.number().int(),
  gpuLayers: z.number().int(),
  trainContextSize: z.number().int(),
  sizeBytes: z.number(),
  memoryBytes: z.number(),
  settings: z.object({
    gpuLayers: z.union([z.number().int(), z.literal('auto'), z.literal('max')]),
    contextSize: z.number().int(),
    flashAttention: z.boolean(),
    threads: z.number().int(),
    kvCacheType: z.string(),
  }),
  lastUsedAt: z.number(),
  activeRequests: z.number().int(),
});
export type LoadedModelInfo = z.infer<typeof loadedModelInfoSchema>;

/** A model on its way in (or that failed): the last state the engine reported for it. */
export const modelActivitySchema = z.object({
  id: z.string().nullable(),
  path: z.string(),
  state: z.enum(MODEL_STATES),
  progress: z.number().min(0).max(1).nullable(),
  message: z.string().nullable(),
  at: z.number(),
});
export type ModelActivity = z.infer<typeof modelActivitySchema>;

export const engineStatusSchema = z.object({
  pid: z.number().int().nullable(),
  backend: backendOrCpuSchema,
  threads: z.number().int(),
  ram: z.object({ total: z.number(), free: z.number() }),
  vram: z.object({ total: z.number(), used: z.number() }).nullable(),
  restarts: z.number().int(),
  memoryBudget: z.object({ bytes: z.number(), source: z.enum(['config', 'free-memory']) }),
  selfCheck: backendCheckSchema.nullable(),
  models: z.array(loadedModelInfoSchema),
  /** Loads in progress and recent failures (a model that became ready or went away is not here). */
  activity: z.array(modelActivitySchema),
});
export type EngineStatusInfo = z.infer<typeof engineStatusSchema>;

export const engineSettingsViewSchema = z.object({
  id: z.string(),
  /** The `engine:` defaults of switchboard.yaml. */
  defaults: engineModelSettingsSchema,
  /** `engine.models.<id>` of switchboard.yaml. */
  override: engineModelSettingsSchema,
  /** What a load without overrides uses (defaults, then the override). */
  effective: engineModelSettingsSchema,
});
export type EngineSettingsView = z.infer<typeof engineSettingsViewSchema>;

/** `HOST_EVENTS.engineProgress` payloads. */
export type EngineProgressEvent =
  | { kind: 'model'; id: string | null; path: string; state: (typeof MODEL_STATES)[number]; progress: number | null; message: string | null }
  | { kind: 'backend'; backend: z.infer<typeof backendOrCpuSchema>; state: 'checking' | 'compiling-shaders' | 'ok' | 'broken' | 'unavailable' | 'chosen'; message: string | null }
  | { kind: 'engine'; state: 'started' | 'crashed' | 'stopped'; backend: z.infer<typeof backendOrCpuSchema> | null; message: string | null };

const modelRef = z.string().min(1, 'expected a local model id such as local/qwen2.5-0.5b-instruct-q4_k_m');

export const engineContract = {
  /** The engine process: backend and self-check verdicts, memory budget, loaded models, loads in progress. */
  'engine.status': route({ input: z.object({}).default({}), output: engineStatusSchema }),
  /**
   * Loads a local model with its effective settings (`settings` overrides them for this load). With
   * `replace`, a hot-swap: the other model is unloaded once its streams in flight have finished.
   * Progress arrives as `engine.progress` events.
   */
  'engine.load': route({
    input: z.object({ model: modelRef, settings: engineModelSettingsSchema.optional(), replace: modelRef.optional() }),
    output: loadedModelInfoSchema,
  }),
  /** Unloads a model; streams on it end as stopped. */
  'engine.unload': route({ input: z.object({ model: modelRef }), output: z.object({ unloaded: z.boolean() }) }),
  /** A model's settings: the defaults, its override and the effective result. */
  'engine.settings': route({ input: z.object({ model: modelRef }), output: engineSettingsViewSchema }),
  /** The GPU self-check's report; `force` runs it again (a new driver, say). */
  'engine.check': route({ input: z.object({ force: z.boolean().optional() }).default({}), output: backendCheckSchema }),
} as const;
