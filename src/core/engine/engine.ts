import type { Message } from '../../shared/llm';

/**
 * The local engine's client API. node-llama-cpp runs in a child process behind it;
 * everything outside core/engine uses this interface, never node-llama-cpp.
 */
export interface Engine {
  load(modelPath: string, options?: LoadOptions, onProgress?: (progress: number) => void): Promise<LoadedModel>;
  unload(modelPath: string): Promise<void>;
  status(): Promise<EngineStatus>;
  /** Yields batched text and exactly one `done`; an engine failure yields `error` then ends. */
  stream(request: EngineStreamRequest, signal?: AbortSignal): AsyncIterable<EngineStreamEvent>;
  tokenize(modelPath: string, text: string): Promise<number[]>;
  /** Disposes models and stops the engine process. */
  dispose(): Promise<void>;
}

export interface LoadOptions {
  /** 'auto' lets the engine fit layers to free VRAM. */
  gpuLayers?: number | 'auto' | 'max';
  contextSize?: number | 'auto';
  flashAttention?: boolean;
}

export interface LoadedModel {
  path: string;
  contextSize: number;
  gpuLayers: number;
  trainContextSize: number;
  sizeBytes: number;
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
