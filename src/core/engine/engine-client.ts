import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ProviderError } from '../../shared/llm';
import { AsyncQueue } from './async-queue';
import { chooseBackend } from './backend-check';
import { createProcessProbe, type BackendProbe } from './backend-probe';
import type {
  BackendCheckReport,
  EmbedOptions,
  EmbedResult,
  Engine,
  EngineEvent,
  EngineStatus,
  EngineStreamEvent,
  EngineStreamRequest,
  LoadedModel,
  LoadOptions,
} from './engine';
import type { FitRequest, FitResult } from './protocol';
import { machineKey, readMachineIdentity, type MachineIdentity } from './machine-identity';
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
import type { VerdictStore } from './verdict-store';
import { spawnWorker, type WorkerExit, type WorkerProcess } from './worker-process';
import { workerEnvironment } from './worker-environment';

export interface EngineOptions {
  /** Defaults to worker.ts beside this file (run through tsx) or worker.js in a build. */
  worker?: { path: string; execArgv?: string[]; env?: Record<string, string> };
  gpu?: GpuSetting;
  threads?: number;
  /** The model pool's memory budget in bytes; default: derived from free RAM/VRAM when the engine starts. */
  memoryBudgetBytes?: number | null;
  /**
   * The GPU self-check: before the engine first starts on a GPU backend, a short-lived process
   * decodes a few tokens on it; the verdicts pick the backend (see backend-check.ts). Without it,
   * `gpu` goes to node-llama-cpp as is.
   */
  selfCheck?: {
    store: VerdictStore;
    /** Writes the tiny GGUF a check decodes with. */
    writeProbeModel: (path: string) => Promise<void>;
    /** Default: real child processes (worker.ts in probe mode). */
    probe?: BackendProbe;
    machine?: () => Promise<MachineIdentity>;
    timeoutMs?: number;
  };
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
  private starting: Promise<WorkerProcess> | undefined;
  /** The backend the running worker was started on. */
  private workerBackend: GpuSetting | undefined;
  private report: Promise<BackendCheckReport> | undefined;
  private memoryBudget: number | null;
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  constructor(private readonly options: EngineOptions) {
    this.memoryBudget = options.memoryBudgetBytes ?? null;
  }

  async load(modelPath: string, options: LoadOptions = {}, onProgress?: (progress: number) => void): Promise<LoadedModel> {
    const reply = await this.request({ type: 'load', id: this.nextId++, path: modelPath, options }, onProgress);
    if (reply.type !== 'loaded') throw unexpected(reply);
    return reply.model;
  }

  async unload(modelPath: string, options: { drain?: boolean } = {}): Promise<void> {
    if (!this.worker && !this.starting) return; // nothing is loaded in a worker that is not running
    const reply = await this.request({ type: 'unload', id: this.nextId++, path: modelPath, ...(options.drain === true && { drain: true }) });
    if (reply.type !== 'unloaded') throw unexpected(reply);
  }

  async swap(fromPath: string, toPath: string, options: LoadOptions = {}, onProgress?: (progress: number) => void): Promise<LoadedModel> {
    // Load first: the pool makes room itself (waiting for the old model's streams when memory is short).
    const loaded = await this.load(toPath, options, onProgress);
    if (fromPath !== toPath) await this.unload(fromPath, { drain: true });
    return loaded;
  }

  async setMemoryBudget(bytes: number | null): Promise<void> {
    this.memoryBudget = bytes;
    // A worker that is not running gets it when it starts.
    if (!this.worker) return;
    const reply = await this.request({ type: 'set-budget', id: this.nextId++, bytes });
    if (reply.type !== 'budget-set') throw unexpected(reply);
  }

  async checkBackends(options: { force?: boolean } = {}): Promise<BackendCheckReport> {
    const setting = this.options.gpu ?? 'auto';
    if (!this.options.selfCheck || setting === false) {
      const machine = machineKey(await (this.options.selfCheck?.machine ?? readMachineIdentity)());
      const chosen = setting === false ? 'cpu' : setting === 'auto' ? (await this.status()).backend : setting;
      return { setting, chosen, verdicts: [], fromCache: false, machine };
    }
    if (options.force) {
      this.report = this.runCheck(true);
      const report = await this.report;
      // A verdict that changes the backend applies now when nothing is running, else at the next start.
      const running = this.workerBackend === undefined ? undefined : this.workerBackend === false ? 'cpu' : this.workerBackend;
      if (running !== undefined && running !== report.chosen && this.pending.size === 0 && this.streams.size === 0) await this.dispose();
      return report;
    }
    this.report ??= this.runCheck(false);
    return this.report;
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async status(): Promise<EngineStatus> {
    const reply = await this.request({ type: 'status', id: this.nextId++ });
    if (reply.type !== 'status') throw unexpected(reply);
    // The worker is running, so a configured check has run (or failed, leaving the CPU in use).
    const selfCheck = this.report === undefined ? null : await this.report.catch(() => null);
    return { ...reply.status, restarts: this.restarts, selfCheck };
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.onLog?.(`engine: an event listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private runCheck(force: boolean): Promise<BackendCheckReport> {
    const check = this.options.selfCheck;
    if (!check) throw new Error('no self-check configured');
    const probe =
      check.probe ??
      createProcessProbe({
        worker: { ...this.workerSpec(), env: this.options.worker?.env ?? {} },
        writeProbeModel: check.writeProbeModel,
        ...(check.timeoutMs !== undefined && { timeoutMs: check.timeoutMs }),
      });
    return chooseBackend(
      this.options.gpu ?? 'auto',
      {
        probe,
        store: check.store,
        machine: check.machine ?? readMachineIdentity,
        onEvent: (event) => this.emit(event),
        log: (line) => this.options.onLog?.(`engine: ${line}`),
      },
      { force },
    );
  }

  /** The backend the next worker starts on: the self-check's choice, or the setting as is. */
  private async backendForStart(): Promise<GpuSetting> {
    const setting = this.options.gpu ?? 'auto';
    if (!this.options.selfCheck || setting === false) return setting;
    try {
      const report = await (this.report ??= this.runCheck(false));
      return report.chosen === 'cpu' ? false : report.chosen;
    } catch (error) {
      // A check that could not run at all: the CPU is the one backend that can't abort on a driver.
      this.options.onLog?.(`engine: the GPU self-check failed (${error instanceof Error ? error.message : String(error)}); using the CPU`);
      this.report = undefined;
      return false;
    }
  }

  async fit(request: FitRequest, signal?: AbortSignal): Promise<FitResult> {
    signal?.throwIfAborted();
    const reply = await this.request({ type: 'fit', id: this.nextId++, request });
    if (reply.type !== 'fit-result') throw unexpected(reply);
    return reply.fit;
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
    let worker: WorkerProcess | undefined;
    const abort = () => worker?.send({ type: 'abort', id });
    let ended = false;
    try {
      worker = await this.ensureWorker();
      this.updateBusy();
      if (!worker.send({ type: 'stream', id, request: parsed.data })) {
        queue.push({ type: 'error', kind: 'engine_crashed', message: 'The engine process is not running.' });
      }
      signal?.addEventListener('abort', abort, { once: true });
      if (signal?.aborted) abort();
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
    const worker = this.worker ?? (await this.starting?.catch(() => undefined));
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

  private async request(message: HostMessage, onProgress?: (progress: number) => void): Promise<WorkerMessage> {
    const worker = await this.ensureWorker();
    return new Promise<WorkerMessage>((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject, onProgress });
      this.updateBusy();
      if (!worker.send(message)) {
        this.pending.delete(message.id);
        this.updateBusy();
        reject(engineError({ kind: 'engine_crashed', message: 'The engine process is not running.' }));
      }
    });
  }

  /** The running worker, or a new one (after the GPU self-check chose its backend, the first time). */
  private ensureWorker(): Promise<WorkerProcess> {
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= this.backendForStart()
      .then((gpu) => this.worker ?? this.spawn(gpu))
      .finally(() => {
        this.starting = undefined;
      });
    return this.starting;
  }

  private workerSpec(): { path: string; execArgv: string[] } {
    const spec = this.options.worker ?? defaultWorker();
    return { path: spec.path, execArgv: spec.execArgv ?? [] };
  }

  private spawn(gpu: GpuSetting): WorkerProcess {
    if (this.crashed) this.restarts++;
    this.crashed = false;
    const spec = this.workerSpec();
    this.workerBackend = gpu;
    const worker = spawnWorker({
      path: spec.path,
      execArgv: spec.execArgv,
      env: {
        ...workerEnvironment(process.env),
        ...this.options.worker?.env,
        [WORKER_ENV.gpu]: encodeGpuSetting(gpu),
        [WORKER_ENV.threads]: this.options.threads === undefined ? '' : String(this.options.threads),
        [WORKER_ENV.memoryBudget]: this.memoryBudget === null ? '' : String(this.memoryBudget),
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
      case 'ready': {
        const gpu = this.workerBackend;
        this.emit({ type: 'engine', state: 'started', ...(gpu !== undefined && gpu !== 'auto' && { backend: gpu === false ? 'cpu' : gpu }) });
        return;
      }
      case 'model-state':
        this.emit({
          type: 'model',
          path: message.path,
          state: message.state,
          ...(message.progress !== undefined && { progress: message.progress }),
          ...(message.message !== undefined && { message: message.message }),
        });
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
    this.emit({ type: 'engine', state: expected ? 'stopped' : 'crashed', message });
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
export function defaultWorker(): NonNullable<EngineOptions['worker']> {
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
