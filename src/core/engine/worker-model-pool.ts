import {
  LlamaChat,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaModel,
} from 'node-llama-cpp';
import type { z } from 'zod';
import type { loadedModelSchema, loadOptionsSchema } from './protocol';

export type PoolLoadOptions = z.infer<typeof loadOptionsSchema>;
type LoadedModelInfo = z.infer<typeof loadedModelSchema>;

/** A loaded model with its one context, sequence and chat; streams on it take turns. */
export interface PoolEntry {
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  /**
   * Made once per model: resolving the chat wrapper from the GGUF's Jinja template costs about
   * a second of CPU. LlamaChat keeps no history of its own; each request brings the whole chat.
   */
  chat: LlamaChat;
  info: LoadedModelInfo;
  /**
   * The model's embedding context, made on first use and disposed with the model. Call it inside
   * `exclusive`: it rejects once the model is unloaded.
   */
  embedding(): Promise<PoolEmbedding>;
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

export interface PoolEmbedding {
  context: LlamaEmbeddingContext;
  /** The longest input, in tokens (BOS/EOS included), one embedding can take. */
  maxInputTokens: number;
}

/** Without a request, cap the context: 'auto' on a 128k-context model would take all memory. */
const DEFAULT_MAX_CONTEXT = 8192;

/**
 * The embedding context is a second llama.cpp context beside the chat one. Its batch is as large
 * as its context, so a text is evaluated in one batch (non-causal embedding models need that), and
 * llama.cpp reserves compute memory for that whole batch; hence a smaller cap than the chat's.
 */
const MAX_EMBEDDING_CONTEXT = 2048;

/**
 * The worker's loaded models, keyed by path. Loads of the same path share one promise, so two
 * callers never load a model twice (node-llama-cpp's Electron template guards loads the same way).
 */
export class ModelPool {
  private readonly entries = new Map<string, PoolEntry>();
  private readonly loading = new Map<string, Promise<PoolEntry>>();
  /** How unload disposes each entry's embedding context (kept off the entry's public face). */
  private readonly disposeEmbedding = new WeakMap<PoolEntry, () => Promise<void>>();

  constructor(private readonly deps: { getLlama: () => Promise<Llama>; getThreads: () => number }) {}

  get(path: string): PoolEntry | undefined {
    return this.entries.get(path);
  }

  list(): LoadedModelInfo[] {
    return [...this.entries.values()].map((e) => e.info);
  }

  load(path: string, options: PoolLoadOptions, sizeBytes: number, onProgress?: (p: number) => void): Promise<PoolEntry> {
    const existing = this.entries.get(path);
    if (existing) {
      onProgress?.(1);
      return Promise.resolve(existing);
    }
    let pending = this.loading.get(path);
    if (!pending) {
      pending = this.create(path, options, sizeBytes, onProgress).finally(() => this.loading.delete(path));
      this.loading.set(path, pending);
    }
    return pending;
  }

  async unload(path: string): Promise<void> {
    const entry = this.entries.get(path) ?? (await this.loading.get(path)?.catch(() => undefined));
    if (!entry) return;
    this.entries.delete(path);
    // Wait for a running stream to finish (it was aborted by the caller, or ends by itself).
    await entry.exclusive(async () => {
      await this.disposeEmbedding.get(entry)?.();
      entry.chat.dispose({ disposeSequence: false });
      await entry.context.dispose();
      await entry.model.dispose();
    });
  }

  async disposeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((p) => this.unload(p)));
  }

  private async create(path: string, options: PoolLoadOptions, sizeBytes: number, onProgress?: (p: number) => void): Promise<PoolEntry> {
    const llama = await this.deps.getLlama();
    const model = await llama.loadModel({
      modelPath: path,
      gpuLayers: options.gpuLayers,
      defaultContextFlashAttention: options.flashAttention,
      onLoadProgress: onProgress,
    });
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: options.contextSize ?? { max: DEFAULT_MAX_CONTEXT },
        flashAttention: options.flashAttention,
        threads: this.deps.getThreads(),
        sequences: 1,
      });
    } catch (error) {
      await model.dispose();
      throw error;
    }
    let queue: Promise<unknown> = Promise.resolve();
    let embedding: Promise<PoolEmbedding> | undefined;
    let unloaded = false;
    const sequence = context.getSequence();
    const embeddingContextSize = Math.min(context.contextSize, MAX_EMBEDDING_CONTEXT);
    const entry: PoolEntry = {
      model,
      context,
      sequence,
      chat: new LlamaChat({ contextSequence: sequence, autoDisposeSequence: false }),
      info: {
        path,
        contextSize: context.contextSize,
        gpuLayers: model.gpuLayers,
        trainContextSize: model.trainContextSize,
        sizeBytes,
      },
      embedding: () => {
        if (unloaded) return Promise.reject(new Error(`The model ${path} was unloaded.`));
        if (!embedding) {
          const made = model
            .createEmbeddingContext({ contextSize: embeddingContextSize, batchSize: embeddingContextSize, threads: this.deps.getThreads() })
            .then((embeddingContext) => ({ context: embeddingContext, maxInputTokens: embeddingContextSize - 1 }));
          // A failed creation (out of memory, say) is tried again by the next request.
          made.catch(() => {
            if (embedding === made) embedding = undefined;
          });
          embedding = made;
        }
        return embedding;
      },
      exclusive: <T>(fn: () => Promise<T>): Promise<T> => {
        const run = queue.then(fn, fn);
        queue = run.catch(() => undefined);
        return run;
      },
    };
    this.disposeEmbedding.set(entry, async () => {
      unloaded = true;
      const made = await embedding?.catch(() => undefined);
      await made?.context.dispose();
    });
    this.entries.set(path, entry);
    return entry;
  }
}
