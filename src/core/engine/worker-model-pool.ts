import { LlamaChat, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel } from 'node-llama-cpp';
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
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** Without a request, cap the context: 'auto' on a 128k-context model would take all memory. */
const DEFAULT_MAX_CONTEXT = 8192;

/**
 * The worker's loaded models, keyed by path. Loads of the same path share one promise, so two
 * callers never load a model twice (node-llama-cpp's Electron template guards loads the same way).
 */
export class ModelPool {
  private readonly entries = new Map<string, PoolEntry>();
  private readonly loading = new Map<string, Promise<PoolEntry>>();

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
    const sequence = context.getSequence();
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
      exclusive: <T>(fn: () => Promise<T>): Promise<T> => {
        const run = queue.then(fn, fn);
        queue = run.catch(() => undefined);
        return run;
      },
    };
    this.entries.set(path, entry);
    return entry;
  }
}
