import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ProviderError } from '../../shared/llm';
import { AsyncQueue } from './async-queue';
import type {
  EmbedOptions,
  EmbedResult,
  Engine,
  EngineStatus,
  EngineStreamEvent,
  EngineStreamRequest,
  LoadedModel,
  LoadOptions,
} from './engine';
import {
  embedRequestSchema,
  encodeGpuSetting,
  streamRequestSchema,
  WORKER_ENV,
  type EngineErrorData,
  type GpuSetting,
  type HostMessage,
  type WorkerMessage,
} from './protocol';
import { spawnWorker, type WorkerExit, type WorkerProcess } from './worker-process';
import { workerEnvironment } from './worker-environment';

export interface EngineOptions {
  /** Defaults to worker.ts beside this file (run through tsx) or worker.js in a build. */
  worker?: { path: string; execArgv?: string[]; env?: Record<string, string> };
  gpu?: GpuSetting;
  threads?: number;
  onLog?: (line: string) => void;
}

/** How long dispose() waits for a clean exit before SIGKILL. */
const DISPOSE_TIMEOUT_MS = 5_000;

export function createEngine(options: EngineOptions = {}): Engine {
  return new EngineClient(options);
}

type Pending = {
  resolve: (message: WorkerMessage) => void;
  reject: (error: ProviderError) => void;
  onProgress?: (progress: number) => void;
};

/**
 * The host side of the engine: starts the worker on first use, matches replies to requests by
 * id, and turns a dead worker into errors for everything in flight. The next call starts a
 * fresh worker.
 */
class EngineClient implements Engine {
  private worker: WorkerProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly streams = new Map<number, AsyncQueue<EngineStreamEvent>>();
  private restarts = 0;
  private crashed = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: EngineOptions) {}

  async load(modelPath: string, options: LoadOptions = {}, onProgress?: (progress: number) => void): Promise<LoadedModel> {
    const reply = await this.request({ type: 'load', id: this.nextId++, path: modelPath, options }, onProgress);
    if (reply.type !== 'loaded') throw unexpected(reply);
    return reply.model;
  }

  async unload(modelPath: string): Promise<void> {
    if (!this.worker) return; // nothing is loaded in a worker that is not running
    const reply = await this.request({ type: 'unload', id: this.nextId++, path: modelPath });
    if (reply.type !== 'unloaded') throw unexpected(reply);
  }

  async status(): Promise<EngineStatus> {
    const reply = await this.request({ type: 'status', id: this.nextId++ });
    if (reply.type !== 'status') throw unexpected(reply);
    return { ...reply.status, restarts: this.restarts };
  }

  async tokenize(modelPath: string, text: string): Promise<number[]> {
    const reply = await this.request({ type: 'tokenize', id: this.nextId++, path: modelPath, text });
    if (reply.type !== 'tokens') throw unexpected(reply);
    return reply.tokens;
  }

  async embed(modelPath: string, texts: string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const parsed = embedRequestSchema.safeParse({ modelPath, texts, loadOptions: options.loadOptions });
    if (!parsed.success) throw engineError({ kind: 'bad_request', message: `Invalid embedding request: ${parsed.error.message}` });
    const empty = texts.findIndex((text) => text.length === 0);
    if (empty >= 0) {
      throw engineError({ kind: 'bad_request', message: `Text ${empty + 1} of ${texts.length} is empty; an empty text has no embedding.` });
    }
    const { signal } = options;
    if (signal?.aborted) throw aborted();
    // Nothing to embed: answer without starting (or loading into) the worker.
    if (texts.length === 0) return { embeddings: [], inputTokens: 0 };

    const id = this.nextId++;
    // The caller stops waiting at once; the worker stops between texts.
    const abort = () => {
      this.worker?.send({ type: 'abort', id });
      this.settle(id, (p) => p.reject(aborted()));
    };
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const reply = await this.request({ type: 'embed', id, request: parsed.data });
      if (reply.type !== 'embeddings') throw unexpected(reply);
      if (reply.embeddings.length !== texts.length) {
        throw engineError({ kind: 'server', message: `The engine returned ${reply.embeddings.length} embeddings for ${texts.length} texts.` });
      }
      return { embeddings: reply.embeddings, inputTokens: reply.inputTokens };
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  async *stream(request: EngineStreamRequest, signal?: AbortSignal): AsyncIterable<EngineStreamEvent> {
    if (signal?.aborted) {
      yield { type: 'done', stopReason: 'aborted', inputTokens: 0, outputTokens: 0 };
      return;
    }
    const parsed = streamRequestSchema.safeParse(request);
    if (!parsed.success) {
      yield { type: 'error', kind: 'bad_request', message: `Invalid engine request: ${parsed.error.message}` };
      return;
    }
    const id = this.nextId++;
    const queue = new AsyncQueue<EngineStreamEvent>();
    this.streams.set(id, queue);
    const worker = this.ensureWorker();
    this.updateBusy();
    const abort = () => worker.send({ type: 'abort', id });
    signal?.addEventListener('abort', abort, { once: true });
    let ended = false;
    try {
      if (!worker.send({ type: 'stream', id, request: parsed.data })) {
        queue.push({ type: 'error', kind: 'engine_crashed', message: 'The engine process is not running.' });
      }
      for (;;) {
        const event = await queue.next();
        if (event.type !== 'text') ended = true;
        yield event;
        if (ended) return;
      }
    } finally {
      signal?.removeEventListener('abort', abort);
      this.streams.delete(id);
      this.updateBusy();
      // The consumer stopped early: stop generating for nobody.
      if (!ended) abort();
    }
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.stopping ??= (async () => {
      const id = this.nextId++;
      const replied = new Promise<void>((resolve) => {
        this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
      });
      worker.setBusy(true);
      if (worker.send({ type: 'dispose', id })) {
        await withTimeout(replied.then(() => worker.exited), DISPOSE_TIMEOUT_MS);
      }
      worker.kill('SIGKILL'); // no-op when it already left
      await worker.exited;
    })();
    try {
      await this.stopping;
    } finally {
      this.stopping = undefined;
    }
  }

  private request(message: HostMessage, onProgress?: (progress: number) => void): Promise<WorkerMessage> {
    return new Promise<WorkerMessage>((resolve, reject) => {
      const worker = this.ensureWorker();
      this.pending.set(message.id, { resolve, reject, onProgress });
      this.updateBusy();
      if (!worker.send(message)) {
        this.pending.delete(message.id);
        this.updateBusy();
        reject(engineError({ kind: 'engine_crashed', message: 'The engine process is not running.' }));
      }
    });
  }

  private ensureWorker(): WorkerProcess {
    if (this.worker) return this.worker;
    if (this.crashed) this.restarts++;
    this.crashed = false;
    const spec = this.options.worker ?? defaultWorker();
    const worker = spawnWorker({
      path: spec.path,
      execArgv: spec.execArgv ?? [],
      env: {
        ...workerEnvironment(process.env),
        ...spec.env,
        [WORKER_ENV.gpu]: encodeGpuSetting(this.options.gpu ?? 'auto'),
        [WORKER_ENV.threads]: this.options.threads === undefined ? '' : String(this.options.threads),
      },
      onMessage: (m) => this.onMessage(m),
      onExit: (exit) => this.onExit(worker, exit),
      onLog: (line) => this.options.onLog?.(line),
      // Fail the call it answers, as the worker's own 'failed' would, rather than leave it waiting.
      onMalformed: (id, problem) => {
        this.options.onLog?.(`engine: ${problem}`);
        if (id !== undefined) this.onMessage({ type: 'failed', id, error: { kind: 'server', message: problem } });
      },
    });
    this.worker = worker;
    return worker;
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'ready':
        return;
      case 'log':
        this.options.onLog?.(message.line);
        return;
      case 'text':
        this.streams.get(message.id)?.push({ type: 'text', text: message.text });
        return;
      case 'done':
        this.streams.get(message.id)?.push({
          type: 'done',
          stopReason: message.stopReason,
          inputTokens: message.inputTokens,
          outputTokens: message.outputTokens,
          ...(message.cachedInputTokens === undefined ? {} : { cachedInputTokens: message.cachedInputTokens }),
          ...(message.generationMs === undefined ? {} : { generationMs: message.generationMs }),
        });
        return;
      case 'stream-error':
        this.streams.get(message.id)?.push({ type: 'error', kind: message.error.kind, message: message.error.message });
        return;
      case 'load-progress':
        this.pending.get(message.id)?.onProgress?.(message.progress);
        return;
      case 'failed': {
        const stream = this.streams.get(message.id);
        if (stream) stream.push({ type: 'error', kind: message.error.kind, message: message.error.message });
        this.settle(message.id, (p) => p.reject(engineError(message.error)));
        return;
      }
      default:
        this.settle(message.id, (p) => p.resolve(message));
    }
  }

  private settle(id: number, fn: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    this.updateBusy();
    fn(pending);
  }

  private updateBusy(): void {
    this.worker?.setBusy(this.pending.size > 0 || this.streams.size > 0 || this.stopping !== undefined);
  }

  private onExit(worker: WorkerProcess, exit: WorkerExit): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const expected = this.stopping !== undefined;
    if (!expected) this.crashed = true;
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    const message = expected
      ? 'The engine was disposed.'
      : `The engine process exited unexpectedly (${how}). The next request starts a new one.`;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      if (expected) pending.resolve({ type: 'disposed', id });
      else pending.reject(engineError({ kind: 'engine_crashed', message }));
    }
    for (const queue of this.streams.values()) {
      queue.push({ type: 'error', kind: expected ? 'server' : 'engine_crashed', message });
    }
  }
}

function engineError(error: EngineErrorData): ProviderError {
  return new ProviderError({ kind: error.kind, message: error.message, provider: 'local' });
}

function aborted(): ProviderError {
  return new ProviderError({ kind: 'aborted', message: 'The embedding request was aborted.', provider: 'local' });
}

function unexpected(reply: WorkerMessage): ProviderError {
  return engineError({ kind: 'server', message: `The engine replied with an unexpected '${reply.type}' message.` });
}

/** From source (tests, dev) the worker is TypeScript and runs through tsx; a build passes its own path. */
function defaultWorker(): NonNullable<EngineOptions['worker']> {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    return { path: join(dirname(here), 'worker.ts'), execArgv: ['--import', pathToFileURL(tsx).href] };
  }
  return { path: join(dirname(here), 'worker.js'), execArgv: [] };
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
