import { z } from 'zod';
import { messageSchema } from '../../shared/llm';
import { KV_CACHE_TYPES } from './engine';

/**
 * Typed messages between the engine host (engine-client) and the worker child process.
 * Every request carries an `id`; replies and stream events echo it. Both sides parse what
 * they receive: the child is a separate process and counts as a trust boundary.
 */

export const loadOptionsSchema = z.object({
  gpuLayers: z.union([z.number().int().nonnegative(), z.literal('auto'), z.literal('max')]).optional(),
  contextSize: z.union([z.number().int().positive(), z.literal('auto')]).optional(),
  flashAttention: z.boolean().optional(),
  threads: z.number().int().positive().optional(),
  kvCacheType: z.enum(KV_CACHE_TYPES).optional(),
});

export const streamRequestSchema = z.object({
  modelPath: z.string().min(1),
  system: z.string().optional(),
  messages: z.array(messageSchema),
  maxOutputTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).optional(),
  topP: z.number().gt(0).max(1).optional(),
  topK: z.number().int().nonnegative().optional(),
  seed: z.number().int().optional(),
  stop: z.array(z.string().min(1)).optional(),
  loadOptions: loadOptionsSchema.optional(),
});

export const embedRequestSchema = z.object({
  modelPath: z.string().min(1),
  texts: z.array(z.string()),
  loadOptions: loadOptionsSchema.optional(),
});

/** A fit estimate (GgufInsights) for a local GGUF path, or an http(s) URL read with Range requests. */
export const fitRequestSchema = z.object({
  source: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
});
export type FitRequest = z.infer<typeof fitRequestSchema>;

export const fitResultSchema = z.object({
  mode: z.enum(['full-gpu', 'partial', 'cpu', 'too-big']),
  gpuLayers: z.number().int().nonnegative(),
  totalLayers: z.number().int().nonnegative(),
  contextSize: z.number().int().positive(),
  ramBytes: z.number().nonnegative(),
  vramBytes: z.number().nonnegative(),
  backend: z.enum(['cpu', 'cuda', 'vulkan', 'metal']),
});
export type FitResult = z.infer<typeof fitResultSchema>;

export const engineErrorKindSchema = z.enum(['engine_crashed', 'not_found', 'bad_request', 'context_length', 'server']);
export type EngineErrorKind = z.infer<typeof engineErrorKindSchema>;

const engineErrorSchema = z.object({ kind: engineErrorKindSchema, message: z.string() });
export type EngineErrorData = z.infer<typeof engineErrorSchema>;

const id = z.number().int().nonnegative();

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('load'), id, path: z.string().min(1), options: loadOptionsSchema }),
  /** `drain`: let streams on the model finish instead of aborting them (hot-swap). */
  z.object({ type: z.literal('unload'), id, path: z.string().min(1), drain: z.boolean().optional() }),
  /** null: the budget derived from free memory at start. */
  z.object({ type: z.literal('set-budget'), id, bytes: z.number().int().positive().nullable() }),
  z.object({ type: z.literal('stream'), id, request: streamRequestSchema }),
  z.object({ type: z.literal('abort'), id }),
  z.object({ type: z.literal('tokenize'), id, path: z.string().min(1), text: z.string() }),
  z.object({ type: z.literal('embed'), id, request: embedRequestSchema }),
  z.object({ type: z.literal('status'), id }),
  z.object({ type: z.literal('fit'), id, request: fitRequestSchema }),
  z.object({ type: z.literal('dispose'), id }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

export const loadedModelSchema = z.object({
  path: z.string(),
  contextSize: z.number().int(),
  gpuLayers: z.number().int(),
  trainContextSize: z.number().int(),
  sizeBytes: z.number().int().nonnegative(),
  memoryBytes: z.number().int().nonnegative(),
  settings: z.object({
    gpuLayers: z.union([z.number().int().nonnegative(), z.literal('auto'), z.literal('max')]),
    contextSize: z.number().int().positive(),
    flashAttention: z.boolean(),
    threads: z.number().int().positive(),
    kvCacheType: z.string(),
  }),
  lastUsedAt: z.number(),
  activeRequests: z.number().int().nonnegative(),
});

export const modelStateSchema = z.enum(['waiting', 'loading', 'warming', 'compiling-shaders', 'ready', 'failed', 'unloaded', 'evicted']);

export const workerStatusSchema = z.object({
  pid: z.number().int(),
  backend: z.enum(['cpu', 'cuda', 'vulkan', 'metal']),
  threads: z.number().int().positive(),
  vram: z.object({ total: z.number(), used: z.number() }).nullable(),
  ram: z.object({ total: z.number(), free: z.number() }),
  models: z.array(loadedModelSchema),
  memoryBudget: z.object({ bytes: z.number().int().nonnegative(), source: z.enum(['config', 'free-memory']) }),
});
export type WorkerStatus = z.infer<typeof workerStatusSchema>;

export const stopReasonSchema = z.enum(['stop', 'length', 'stop-sequence', 'aborted']);

export const workerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('log'), line: z.string() }),
  z.object({ type: z.literal('load-progress'), id, progress: z.number().min(0).max(1) }),
  z.object({ type: z.literal('loaded'), id, model: loadedModelSchema }),
  z.object({ type: z.literal('unloaded'), id }),
  z.object({ type: z.literal('budget-set'), id }),
  /** Unsolicited: a model's state changed (an explicit load, one on demand, an unload, an eviction). */
  z.object({
    type: z.literal('model-state'),
    path: z.string(),
    state: modelStateSchema,
    progress: z.number().min(0).max(1).optional(),
    message: z.string().optional(),
  }),
  z.object({ type: z.literal('tokens'), id, tokens: z.array(z.number().int()) }),
  // Non-finite numbers would not survive JSON; the worker refuses them before sending.
  z.object({
    type: z.literal('embeddings'),
    id,
    embeddings: z.array(z.array(z.number())),
    inputTokens: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('status'), id, status: workerStatusSchema }),
  z.object({ type: z.literal('disposed'), id }),
  z.object({ type: z.literal('fit-result'), id, fit: fitResultSchema }),
  z.object({ type: z.literal('failed'), id, error: engineErrorSchema }),
  // Stream events: text is batched, so one message usually carries several tokens.
  z.object({ type: z.literal('text'), id, text: z.string() }),
  z.object({
    type: z.literal('done'),
    id,
    stopReason: stopReasonSchema,
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    cachedInputTokens: z.number().int().nonnegative().optional(),
    generationMs: z.number().nonnegative().optional(),
  }),
  z.object({ type: z.literal('stream-error'), id, error: engineErrorSchema }),
]);
export type WorkerMessage = z.infer<typeof workerMessageSchema>;

/** Environment variables the host sets for the worker. */
export const WORKER_ENV = {
  gpu: 'SWITCHBOARD_ENGINE_GPU',
  threads: 'SWITCHBOARD_ENGINE_THREADS',
  /** The pool's memory budget in bytes; empty: derived from free memory. */
  memoryBudget: 'SWITCHBOARD_ENGINE_MEMORY_BUDGET',
  /** 'probe' runs the GPU self-check (backend-probe-main.ts) instead of the engine. */
  mode: 'SWITCHBOARD_ENGINE_MODE',
  /** For a probe: 'detect' (list usable GPU types) or the backend to check. */
  probeBackend: 'SWITCHBOARD_PROBE_BACKEND',
  /** For a probe: the tiny GGUF to decode with. */
  probeModel: 'SWITCHBOARD_PROBE_MODEL',
} as const;

export const gpuBackendSchema = z.enum(['cuda', 'vulkan', 'metal']);

/** What a self-check process reports. Anything else (a crash, a hang) counts as a broken backend. */
export const probeMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('detected'), backends: z.array(gpuBackendSchema) }),
  z.object({ type: z.literal('phase'), phase: z.enum(['loading', 'decoding', 'compiling-shaders']) }),
  z.object({ type: z.literal('passed'), backend: gpuBackendSchema, devices: z.array(z.string()), decodeMs: z.number().nonnegative() }),
  z.object({ type: z.literal('unavailable'), message: z.string() }),
  z.object({ type: z.literal('errored'), message: z.string() }),
]);
export type ProbeMessage = z.infer<typeof probeMessageSchema>;

export const gpuSettingSchema = z.union([z.literal('auto'), z.literal(false), z.enum(['cuda', 'vulkan', 'metal'])]);
export type GpuSetting = z.infer<typeof gpuSettingSchema>;

export function encodeGpuSetting(gpu: GpuSetting): string {
  return gpu === false ? 'false' : gpu;
}

export function decodeGpuSetting(value: string | undefined): GpuSetting {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'false' || value === 'cpu') return false;
  return gpuSettingSchema.parse(value);
}
