import {
  GgmlType,
  GgufInsights,
  LlamaChat,
  type GgufFileInfo,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaModel,
} from 'node-llama-cpp';
import type { z } from 'zod';
import type { ModelState } from './engine';
import { defaultBudgetBytes, planRoom } from './pool-budget';
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
  info(): LoadedModelInfo;
  /**
   * The model's embedding context, made on first use and disposed with the model. Call it inside
   * `exclusive`: it rejects once the model is unloaded.
   */
  embedding(): Promise<PoolEmbedding>;
  /** Runs `fn` when the model's earlier requests are done. The model counts as busy (never evicted) until it ends. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

export interface PoolEmbedding {
  context: LlamaEmbeddingContext;
  /** The longest input, in tokens (BOS/EOS included), one embedding can take. */
  maxInputTokens: number;
}

export interface ModelPoolDeps {
  getLlama: () => Promise<Llama>;
  getThreads: () => number;
  /** A model's state changed: the worker tells the host, which tells the UI. */
  onState: (path: string, state: ModelState, progress?: number, message?: string) => void;
  log: (line: string) => void;
  /** The budget from the settings (bytes), or null to derive it from free memory. */
  budgetBytes: number | null;
  now?: () => number;
}

/** Without a request, cap the context: 'auto' on a 128k-context model would take all memory. */
const DEFAULT_MAX_CONTEXT = 8192;

/**
 * The embedding context is a second llama.cpp context beside the chat one. Its batch is as large
 * as its context, so a text is evaluated in one batch (non-causal embedding models need that), and
 * llama.cpp reserves compute memory for that whole batch; hence a smaller cap than the chat's.
 */
const MAX_EMBEDDING_CONTEXT = 2048;

interface Slot {
  entry: PoolEntry;
  /** The options it was loaded with, to tell whether a new load asks for something else. */
  requested: PoolLoadOptions;
  memoryBytes: number;
  lastUsedAt: number;
  active: number;
  idleWaiters: Array<() => void>;
}

/**
 * The worker's loaded models, keyed by path. Loads of the same path share one promise, so two
 * callers never load a model twice (node-llama-cpp's Electron template guards loads the same way).
 * Loads run one at a time: each first makes room under the memory budget, evicting the least
 * recently used idle models, or waiting for a busy one to finish (never evicting it mid-stream).
 */
export class ModelPool {
  private readonly slots = new Map<string, Slot>();
  private readonly loading = new Map<string, Promise<PoolEntry>>();
  /** How unload disposes each entry's embedding context (kept off the entry's public face). */
  private readonly disposeEmbedding = new WeakMap<PoolEntry, () => Promise<void>>();
  private loadChain: Promise<unknown> = Promise.resolve();
  private configuredBudget: number | null;
  private derivedBudget: number | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: ModelPoolDeps) {
    this.configuredBudget = deps.budgetBytes;
    this.now = deps.now ?? Date.now;
  }

  get(path: string): PoolEntry | undefined {
    return this.slots.get(path)?.entry;
  }

  list(): LoadedModelInfo[] {
    return [...this.slots.values()].map((s) => s.entry.info());
  }

  async budget(): Promise<{ bytes: number; source: 'config' | 'free-memory' }> {
    if (this.configuredBudget !== null) return { bytes: this.configuredBudget, source: 'config' };
    return { bytes: await this.derived(), source: 'free-memory' };
  }

  /** A new budget; idle models over it are evicted now, busy ones stay. */
  async setBudget(bytes: number | null): Promise<void> {
    this.configuredBudget = bytes;
    await this.serialize(async () => {
      const plan = planRoom(this.budgetEntries(), 0, (await this.budget()).bytes);
      const evict = plan.kind === 'fits' ? [] : plan.kind === 'evict' ? plan.paths : plan.evict;
      for (const path of evict) await this.unload(path, 'evicted');
    });
  }

  load(path: string, options: PoolLoadOptions, file: { info: GgufFileInfo; sizeBytes: number }, onProgress?: (p: number) => void): Promise<PoolEntry> {
    const existing = this.slots.get(path);
    if (existing && sameOptions(existing.requested, options)) {
      existing.lastUsedAt = this.now();
      onProgress?.(1);
      return Promise.resolve(existing.entry);
    }
    let pending = this.loading.get(path);
    if (!pending) {
      pending = this.serialize(async () => {
        // Other settings than it was loaded with: load it again, once its requests in flight are done.
        if (this.slots.has(path)) await this.unload(path);
        return this.create(path, options, file, onProgress);
      }).finally(() => this.loading.delete(path));
      this.loading.set(path, pending);
    }
    return pending;
  }

  async unload(path: string, reason: 'unloaded' | 'evicted' = 'unloaded'): Promise<void> {
    const slot = this.slots.get(path);
    const entry = slot?.entry ?? (await this.loading.get(path)?.catch(() => undefined));
    if (!entry) return;
    this.slots.delete(path);
    // Wait for a running stream to finish (it was aborted by the caller, or ends by itself).
    await entry.exclusive(async () => {
      await this.disposeEmbedding.get(entry)?.();
      entry.chat.dispose({ disposeSequence: false });
      await entry.context.dispose();
      await entry.model.dispose();
    });
    this.deps.onState(path, reason);
  }

  async disposeAll(): Promise<void> {
    await Promise.all([...this.slots.keys()].map((p) => this.unload(p)));
  }

  /** Loads run one after another, so each one's room-making sees the memory the previous took. */
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.loadChain.then(fn, fn);
    this.loadChain = run.catch(() => undefined);
    return run;
  }

  private async derived(): Promise<number> {
    if (this.derivedBudget === undefined) {
      const llama = await this.deps.getLlama();
      const ram = await llama.getRamState();
      const vram = llama.gpu === false ? null : await llama.getVramState();
      this.derivedBudget = defaultBudgetBytes(ram.free, vram?.free ?? null);
    }
    return this.derivedBudget;
  }

  private budgetEntries() {
    return [...this.slots.entries()].map(([path, s]) => ({ path, memoryBytes: s.memoryBytes, lastUsedAt: s.lastUsedAt, busy: s.active > 0 }));
  }

  /** Evicts idle models (oldest first), or waits for busy ones to finish, until `neededBytes` fits. */
  private async makeRoom(path: string, neededBytes: number): Promise<void> {
    for (;;) {
      const { bytes } = await this.budget();
      const plan = planRoom(this.budgetEntries(), neededBytes, bytes);
      if (plan.kind === 'fits') return;
      const evict = plan.kind === 'evict' ? plan.paths : plan.evict;
      for (const victim of evict) {
        this.deps.log(`evicting ${victim} (least recently used) to make room for ${path}`);
        await this.unload(victim, 'evicted');
      }
      if (plan.kind === 'evict') return;
      if (plan.kind === 'over') {
        this.deps.log(`${path} needs about ${mib(neededBytes)} MiB, over the ${mib(bytes)} MiB memory budget; loading it anyway`);
        return;
      }
      const busy = this.slots.get(plan.waitFor);
      if (!busy) continue;
      this.deps.onState(path, 'waiting', undefined, `waiting for a request on ${plan.waitFor} to finish before it is evicted`);
      await new Promise<void>((resolve) => busy.idleWaiters.push(resolve));
    }
  }

  private async estimate(llama: Llama, info: GgufFileInfo, options: PoolLoadOptions, actual?: { gpuLayers: number; contextSize: number }) {
    const insights = await GgufInsights.from(info, llama);
    const train = insights.trainContextSize ?? DEFAULT_MAX_CONTEXT;
    const gpuLayers =
      actual?.gpuLayers ?? (llama.gpu === false ? 0 : typeof options.gpuLayers === 'number' ? Math.min(options.gpuLayers, insights.totalLayers) : insights.totalLayers);
    const contextSize = actual?.contextSize ?? Math.min(typeof options.contextSize === 'number' ? options.contextSize : DEFAULT_MAX_CONTEXT, train);
    const kv = kvType(options.kvCacheType);
    const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers });
    const context = await insights.estimateContextResourceRequirementsV2({
      contextSize,
      modelGpuLayers: gpuLayers,
      sequences: 1,
      flashAttention: options.flashAttention ?? false,
      ...(kv !== undefined && { kvCacheKeyType: kv, kvCacheValueType: kv }),
    });
    return Math.round(model.cpuRam + model.gpuVram + context.cpuRam + context.gpuVram);
  }

  private async create(path: string, options: PoolLoadOptions, file: { info: GgufFileInfo; sizeBytes: number }, onProgress?: (p: number) => void): Promise<PoolEntry> {
    try {
      return await this.createLoaded(path, options, file, onProgress);
    } catch (error) {
      this.deps.onState(path, 'failed', undefined, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  private async createLoaded(path: string, options: PoolLoadOptions, file: { info: GgufFileInfo; sizeBytes: number }, onProgress?: (p: number) => void): Promise<PoolEntry> {
    const llama = await this.deps.getLlama();
    await this.makeRoom(path, await this.estimate(llama, file.info, options));
    this.deps.onState(path, 'loading', 0);
    const kv = kvType(options.kvCacheType);
    const model = await llama.loadModel({
      modelPath: path,
      gpuLayers: options.gpuLayers,
      defaultContextFlashAttention: options.flashAttention,
      onLoadProgress: (p) => {
        onProgress?.(p);
        this.deps.onState(path, 'loading', p);
      },
    });
    const threads = options.threads ?? this.deps.getThreads();
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: options.contextSize ?? { max: DEFAULT_MAX_CONTEXT },
        flashAttention: options.flashAttention,
        threads,
        sequences: 1,
        ...(kv !== undefined && { experimentalKvCacheKeyType: kv, experimentalKvCacheValueType: kv }),
      });
    } catch (error) {
      await model.dispose();
      throw error;
    }
    const sequence = context.getSequence();
    try {
      await this.warmUp(llama, model, sequence, path);
    } catch (error) {
      await context.dispose();
      await model.dispose();
      throw error;
    }
    const memoryBytes = await this.estimate(llama, file.info, options, { gpuLayers: model.gpuLayers, contextSize: context.contextSize });
    const entry = this.makeEntry(path, model, context, sequence, {
      path,
      contextSize: context.contextSize,
      gpuLayers: model.gpuLayers,
      trainContextSize: model.trainContextSize,
      sizeBytes: file.sizeBytes,
      memoryBytes,
      settings: {
        gpuLayers: options.gpuLayers ?? 'auto',
        contextSize: context.contextSize,
        flashAttention: context.flashAttention === true,
        threads,
        kvCacheType: options.kvCacheType ?? 'f16',
      },
      lastUsedAt: 0,
      activeRequests: 0,
    });
    this.slots.set(path, { entry, requested: options, memoryBytes, lastUsedAt: this.now(), active: 0, idleWaiters: [] });
    this.deps.onState(path, 'ready', 1);
    return entry;
  }

  /**
   * One decode right after loading, so the first prompt doesn't pay for it: on Vulkan that first
   * decode compiles the shaders (11–20 s on a fresh machine), shown as its own state, not a freeze.
   */
  private async warmUp(llama: Llama, model: LlamaModel, sequence: LlamaContextSequence, path: string): Promise<void> {
    const onGpu = llama.gpu !== false && model.gpuLayers > 0;
    const state: ModelState = onGpu && llama.gpu === 'vulkan' ? 'compiling-shaders' : 'warming';
    this.deps.onState(path, state, undefined, state === 'compiling-shaders' ? 'the first Vulkan prompt compiles shaders (11–20 s on a fresh machine)' : undefined);
    const token = model.tokens.bos ?? model.tokenize('a')[0];
    if (token === undefined) return;
    await sequence.evaluateWithoutGeneratingNewTokens([token]);
    await sequence.clearHistory();
  }

  private makeEntry(path: string, model: LlamaModel, context: LlamaContext, sequence: LlamaContextSequence, info: LoadedModelInfo): PoolEntry {
    let queue: Promise<unknown> = Promise.resolve();
    let embedding: Promise<PoolEmbedding> | undefined;
    let unloaded = false;
    const embeddingContextSize = Math.min(context.contextSize, MAX_EMBEDDING_CONTEXT);
    const slot = () => this.slots.get(path);
    const entry: PoolEntry = {
      model,
      context,
      sequence,
      chat: new LlamaChat({ contextSequence: sequence, autoDisposeSequence: false }),
      info: () => {
        const s = slot();
        return { ...info, lastUsedAt: s?.lastUsedAt ?? info.lastUsedAt, activeRequests: s?.active ?? 0 };
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
        // The slot is looked up now: an unload has already removed it, and then nothing is counted.
        const s = slot();
        if (s) {
          s.active++;
          s.lastUsedAt = this.now();
        }
        const run = queue.then(fn, fn).finally(() => {
          if (!s) return;
          s.active--;
          s.lastUsedAt = this.now();
          if (s.active === 0) for (const wake of s.idleWaiters.splice(0)) wake();
        });
        queue = run.catch(() => undefined);
        return run;
      },
    };
    this.disposeEmbedding.set(entry, async () => {
      unloaded = true;
      const made = await embedding?.catch(() => undefined);
      await made?.context.dispose();
    });
    return entry;
  }
}

const KV_TYPES: Record<NonNullable<PoolLoadOptions['kvCacheType']>, GgmlType> = {
  f32: GgmlType.F32,
  f16: GgmlType.F16,
  bf16: GgmlType.BF16,
  q8_0: GgmlType.Q8_0,
  q4_0: GgmlType.Q4_0,
  q4_1: GgmlType.Q4_1,
  q5_0: GgmlType.Q5_0,
  q5_1: GgmlType.Q5_1,
};

function kvType(type: PoolLoadOptions['kvCacheType']): GgmlType | undefined {
  return type === undefined ? undefined : KV_TYPES[type];
}

function sameOptions(a: PoolLoadOptions, b: PoolLoadOptions): boolean {
  const keys = ['gpuLayers', 'contextSize', 'flashAttention', 'threads', 'kvCacheType'] as const;
  return keys.every((key) => a[key] === b[key]);
}

function mib(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}
