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
