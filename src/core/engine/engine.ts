import type { Message } from '../../shared/llm';
import type { FitRequest, FitResult } from './protocol';

/**
 * The local engine's client API. node-llama-cpp runs in a child process behind it;
 * everything outside core/engine uses this interface, never node-llama-cpp.
 */
export interface Engine {
  /**
   * Loads a model (the pool may first evict the least recently used idle models, or wait for a
   * stream on one to finish, to stay under the memory budget). `onProgress` gets 0..1.
   */
  load(modelPath: string, options?: LoadOptions, onProgress?: (progress: number) => void): Promise<LoadedModel>;
  /**
   * Unloads a model. By default streams on it end as `aborted`; with `drain` they finish first
   * (a hot-swap never breaks a stream in flight).
   */
  unload(modelPath: string, options?: { drain?: boolean }): Promise<void>;
  /** Hot-swap: loads `toPath`, then unloads `fromPath` once its streams in flight have finished. */
  swap(fromPath: string, toPath: string, options?: LoadOptions, onProgress?: (progress: number) => void): Promise<LoadedModel>;
  /** Sets the pool's memory budget (bytes; null: derived from free RAM/VRAM). Evicts idle models over it. */
  setMemoryBudget(bytes: number | null): Promise<void>;
  /**
   * The GPU backend self-check's report: which backend the engine uses and why. Runs the check
   * when none ran yet (or with `force`); without a check configured it reports the setting as is.
   */
  checkBackends(options?: { force?: boolean }): Promise<BackendCheckReport>;
  /** Model states (loading, warming, ready, evicted…) and self-check steps. Returns the unsubscribe. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  status(): Promise<EngineStatus>;
  /** Yields batched text and exactly one `done`; an engine failure yields `error` then ends. */
  stream(request: EngineStreamRequest, signal?: AbortSignal): AsyncIterable<EngineStreamEvent>;
  tokenize(modelPath: string, text: string): Promise<number[]>;
  /**
   * How a GGUF file (a local path, or an http(s) URL whose header is read with Range requests)
   * would run on this engine's backend: GPU layers, the best context size and memory, from
   * node-llama-cpp's GgufInsights (in the worker).
   */
  fit(request: FitRequest, signal?: AbortSignal): Promise<FitResult>;
  /**
   * One vector per text, in order, each the model's embedding length. An empty list answers at
   * once without touching the worker. An empty text, or one longer than the embedding context
   * (the limit is named in the message), rejects with `bad_request` / `context_length`; an abort
   * rejects with `aborted`; a dead worker with `engine_crashed`.
   */
  embed(modelPath: string, texts: string[], options?: EmbedOptions): Promise<EmbedResult>;
  /** Disposes models and stops the engine process. */
  dispose(): Promise<void>;
}

export interface LoadOptions {
  /** 'auto' lets the engine fit layers to free VRAM. */
  gpuLayers?: number | 'auto' | 'max';
  contextSize?: number | 'auto';
  flashAttention?: boolean;
  /** Threads for this model's context; default the engine's. */
  threads?: number;
  /** The KV cache's element type (keys and values); f16 by default. Quantized types need flash attention. */
  kvCacheType?: KvCacheType;
}

export const KV_CACHE_TYPES = ['f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'q5_0', 'q5_1'] as const;
export type KvCacheType = (typeof KV_CACHE_TYPES)[number];

export type GpuBackend = 'cuda' | 'vulkan' | 'metal';

/** A model's lifecycle as the UI shows it. */
export type ModelState = 'waiting' | 'loading' | 'warming' | 'compiling-shaders' | 'ready' | 'failed' | 'unloaded' | 'evicted';

export type EngineEvent =
  | { type: 'model'; path: string; state: ModelState; progress?: number; message?: string }
  /** The engine process started (on `backend`), crashed (its models are gone) or was stopped. */
  | { type: 'engine'; state: 'started' | 'crashed' | 'stopped'; backend?: GpuBackend | 'cpu'; message?: string }
  | { type: 'backend'; backend: GpuBackend | 'cpu'; state: BackendCheckStep; message?: string };

export type BackendCheckStep = 'checking' | 'compiling-shaders' | 'ok' | 'broken' | 'unavailable' | 'chosen';

/** One backend's self-check result on this machine. */
export interface BackendVerdict {
  backend: GpuBackend;
  /** ok: a tiny decode worked; broken: the check process died, errored or hung; unavailable: no usable binary or driver. */
  status: 'ok' | 'broken' | 'unavailable';
  reason: string;
  checkedAt: number;
  durationMs?: number;
  /** GPU names the backend reported (ok only). */
  devices?: string[];
}

export interface BackendCheckReport {
  /** The configured setting: 'auto', one backend, or false (CPU, no check). */
  setting: 'auto' | GpuBackend | false;
  /** What the engine uses (at its next start, when it is running another). */
  chosen: GpuBackend | 'cpu';
  verdicts: BackendVerdict[];
  /** True when the verdicts came from the file remembered for this machine and driver. */
  fromCache: boolean;
  /** The machine the verdicts are for (platform, arch, GPU, driver, node-llama-cpp version). */
  machine: string;
}

export interface EmbedOptions {
  /** Used when the engine has to load the model for the request. */
  loadOptions?: LoadOptions;
  signal?: AbortSignal;
}

export interface EmbedResult {
  /** One vector per input text, in input order. */
  embeddings: number[][];
  /** Tokens evaluated over all texts, including the BOS/EOS tokens the model adds. */
  inputTokens: number;
}

export interface LoadedModel {
  path: string;
  contextSize: number;
  gpuLayers: number;
  trainContextSize: number;
  sizeBytes: number;
  /** Estimated memory held: weights in memory plus the context (RAM and VRAM together). */
  memoryBytes: number;
  /** The settings it was loaded with (as resolved: the context size is the actual one). */
  settings: { gpuLayers: number | 'auto' | 'max'; contextSize: number; flashAttention: boolean; threads: number; kvCacheType: string };
  /** Epoch ms of the last load or request; the pool evicts the oldest first. */
  lastUsedAt: number;
  /** Streams and embeddings running or queued on it; such a model is never evicted. */
  activeRequests: number;
}

export interface EngineStatus {
  pid: number | null;
  /** 'cpu' or the GPU backend in use. */
  backend: 'cpu' | 'cuda' | 'vulkan' | 'metal';
  threads: number;
  vram: { total: number; used: number } | null;
  ram: { total: number; free: number };
  models: LoadedModel[];
  restarts: number;
  /** The pool's budget in bytes, and whether it came from the settings or from free memory at start. */
  memoryBudget: { bytes: number; source: 'config' | 'free-memory' };
  /** The GPU self-check's report; null when none ran (gpu: false, or no check configured). */
  selfCheck: BackendCheckReport | null;
}

export interface EngineStreamRequest {
  modelPath: string;
  system?: string;
  /** The whole history; the engine keeps no chat state between requests. */
  messages: Message[];
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  stop?: string[];
  loadOptions?: LoadOptions;
}

export type EngineStopReason = 'stop' | 'length' | 'stop-sequence' | 'aborted';

export type EngineStreamEvent =
  | { type: 'text'; text: string }
  | {
      type: 'done';
      stopReason: EngineStopReason;
      /** The whole prompt, whether evaluated now or reused from the sequence's cache. */
      inputTokens: number;
      /** Prompt tokens reused from the previous request's evaluation rather than evaluated again. */
      cachedInputTokens?: number;
      outputTokens: number;
      /** Time the worker spent evaluating the prompt and generating, without the process hop. */
      generationMs?: number;
    }
  | { type: 'error'; kind: 'engine_crashed' | 'not_found' | 'bad_request' | 'context_length' | 'server'; message: string };

export type { FitRequest, FitResult } from './protocol';
