/**
 * The engine's child process: owns node-llama-cpp, the loaded models and the running streams.
 * A native abort here (a malformed GGUF, a GPU build that does not match the driver) ends this
 * process only; the host reports it and starts a new one.
 */
import { freemem, totalmem } from 'node:os';
import { getLlama, LlamaLogLevel, type Llama, type LlamaChatResponse } from 'node-llama-cpp';
import { toChatHistory } from './chat-history';
import { preflightGguf } from './gguf-preflight';
import {
  decodeGpuSetting,
  hostMessageSchema,
  WORKER_ENV,
  type EngineErrorData,
  type HostMessage,
  type WorkerMessage,
} from './protocol';
import { runBackendProbe } from './backend-probe-main';
import { TextBatcher } from './text-batcher';
import { resolveThreads } from './threads';
import { ModelPool, type PoolLoadOptions } from './worker-model-pool';
import { estimateFit } from './worker-fit';

type LoadOptions = PoolLoadOptions;
type StreamRequest = Extract<HostMessage, { type: 'stream' }>['request'];
type EmbedRequest = Extract<HostMessage, { type: 'embed' }>['request'];

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function log(line: string): void {
  send({ type: 'log', line });
}

let llamaPromise: Promise<Llama> | undefined;
let threads = 1;

function getEngineLlama(): Promise<Llama> {
  llamaPromise ??= (async () => {
    const gpu = decodeGpuSetting(process.env[WORKER_ENV.gpu]);
    const llama = await getLlama({
      // Never compile from source behind the user's back: a failed binary test would otherwise
      // start a multi-minute build.
      build: 'never',
      gpu,
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => log(`[llama ${level}] ${message.trimEnd()}`),
    });
    threads = resolveThreads(process.env[WORKER_ENV.threads], llama.cpuMathCores);
    log(`node-llama-cpp on ${llama.gpu === false ? 'cpu' : llama.gpu}, ${threads} thread(s)`);
    return llama;
  })();
  return llamaPromise;
}

const pool = new ModelPool({
  getLlama: getEngineLlama,
  getThreads: () => threads,
  onState: (path, state, progress, message) =>
    send({ type: 'model-state', path, state, ...(progress !== undefined && { progress }), ...(message !== undefined && { message }) }),
  log,
  budgetBytes: parseBudget(process.env[WORKER_ENV.memoryBudget]),
});

function parseBudget(value: string | undefined): number | null {
  const bytes = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(bytes) && bytes > 0 ? bytes : null;
}
/** Running streams and embeddings by id, with their model path so an unload can stop them. */
const running = new Map<number, { controller: AbortController; path: string }>();

function errorData(error: unknown, fallback: EngineErrorData['kind'] = 'server'): EngineErrorData {
  if (isEngineError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const kind = /context size|too long|exceeds? the context/i.test(message) ? 'context_length' : fallback;
  return { kind, message };
}

function isEngineError(value: unknown): value is EngineErrorData {
  return typeof value === 'object' && value !== null && 'kind' in value && 'message' in value && !(value instanceof Error);
}

async function load(path: string, options: LoadOptions, onProgress?: (p: number) => void) {
  const preflight = await preflightGguf(path);
  if (!preflight.ok) throw preflight.error;
  return pool.load(path, options, preflight, onProgress);
}

async function ensureLoaded(path: string, options: LoadOptions | undefined) {
  return pool.get(path) ?? (await load(path, options ?? {}));
}

const STOP_REASONS: Record<LlamaChatResponse['metadata']['stopReason'], 'stop' | 'length' | 'stop-sequence' | 'aborted'> = {
  eogToken: 'stop',
  stopGenerationTrigger: 'stop',
  functionCalls: 'stop',
  customStopTrigger: 'stop-sequence',
  maxTokens: 'length',
  abort: 'aborted',
};

async function runStream(id: number, request: StreamRequest): Promise<void> {
  const controller = new AbortController();
  running.set(id, { controller, path: request.modelPath });
  try {
    const entry = await ensureLoaded(request.modelPath, request.loadOptions);
    await entry.exclusive(async () => {
      const sequence = entry.sequence;
      const before = sequence.tokenMeter.getState();
      const usage = () => {
        // The meter counts only tokens evaluated now; a prompt prefix kept from the last request is
        // reused, not evaluated. The whole prompt is what the sequence holds minus what was generated.
        const diff = sequence.tokenMeter.diff(before);
        const evaluated = diff.usedInputTokens;
        const inputTokens = Math.max(evaluated, sequence.nextTokenIndex - diff.usedOutputTokens);
        return { inputTokens, cachedInputTokens: inputTokens - evaluated, outputTokens: diff.usedOutputTokens };
      };
      if (controller.signal.aborted) {
        send({ type: 'done', id, stopReason: 'aborted', inputTokens: 0, outputTokens: 0 });
        return;
      }
      const batcher = new TextBatcher({ send: (text) => send({ type: 'text', id, text }) });
      const started = performance.now();
      try {
        const result = await entry.chat.generateResponse(toChatHistory(request.system, request.messages), {
          onTextChunk: (text) => batcher.push(text),
          signal: controller.signal,
          stopOnAbortSignal: true,
          maxTokens: request.maxOutputTokens,
          temperature: request.temperature,
          topP: request.topP,
          topK: request.topK,
          seed: request.seed,
          customStopTriggers: request.stop,
        });
        batcher.flush();
        const generationMs = performance.now() - started;
        send({ type: 'done', id, stopReason: STOP_REASONS[result.metadata.stopReason], ...usage(), generationMs });
      } catch (error) {
        batcher.flush();
        // An abort during prompt evaluation throws instead of returning.
        if (controller.signal.aborted) send({ type: 'done', id, stopReason: 'aborted', ...usage() });
        else throw error;
      }
    });
  } catch (error) {
    send({ type: 'stream-error', id, error: errorData(error) });
  } finally {
    running.delete(id);
  }
}

/**
 * Embeds the texts in order in one turn on the model (so it never races a stream on the same
 * model), checking every length against the embedding context before evaluating any.
 */
async function runEmbed(id: number, request: EmbedRequest): Promise<void> {
  const controller = new AbortController();
  running.set(id, { controller, path: request.modelPath });
  const { texts, modelPath } = request;
  try {
    if (texts.length === 0) {
      send({ type: 'embeddings', id, embeddings: [], inputTokens: 0 });
      return;
    }
    const entry = await ensureLoaded(modelPath, request.loadOptions);
    const result = await entry.exclusive(async () => {
      const stopped = (): EngineErrorData | undefined => {
        if (pool.get(modelPath) !== entry) return { kind: 'server', message: `The model ${modelPath} was unloaded during the embedding request.` };
        if (controller.signal.aborted) return { kind: 'server', message: 'The embedding request was aborted.' };
        return undefined;
      };
      const before = stopped();
      if (before) throw before;
      const { context, maxInputTokens } = await entry.embedding();
      const lengths = texts.map((text, i) => {
        if (text.length === 0) throw engineFailure('bad_request', `Text ${i + 1} of ${texts.length} is empty; an empty text has no embedding.`);
        const length = context.calculateInputLength(text);
        if (length > maxInputTokens) {
          throw engineFailure(
            'context_length',
            `Text ${i + 1} of ${texts.length} is ${length} tokens; the embedding context of this model takes at most ${maxInputTokens} tokens per text.`,
          );
        }
        return length;
      });
      const embeddings: number[][] = [];
      for (const text of texts) {
        const stop = stopped();
        if (stop) throw stop;
        const { vector } = await context.getEmbeddingFor(text);
        if (vector.length === 0 || !vector.every(Number.isFinite)) {
          throw engineFailure('server', `The model produced an invalid embedding for text ${embeddings.length + 1} of ${texts.length}.`);
        }
        embeddings.push([...vector]);
      }
      return { embeddings, inputTokens: lengths.reduce((sum, n) => sum + n, 0) };
    });
    send({ type: 'embeddings', id, ...result });
  } catch (error) {
    send({ type: 'failed', id, error: errorData(error) });
  } finally {
    running.delete(id);
  }
}

function engineFailure(kind: EngineErrorData['kind'], message: string): EngineErrorData {
  return { kind, message };
}

async function status() {
  const llama = await getEngineLlama();
  const backend = llama.gpu === false ? 'cpu' : llama.gpu;
  const vram = llama.gpu === false ? null : await llama.getVramState();
  return {
    pid: process.pid,
    backend,
    threads,
    vram: vram ? { total: vram.total, used: vram.used } : null,
    ram: { total: totalmem(), free: freemem() },
    models: pool.list(),
    memoryBudget: await pool.budget(),
  } as const;
}

async function dispose(): Promise<void> {
  for (const { controller } of running.values()) controller.abort();
  await pool.disposeAll();
  if (llamaPromise) await (await llamaPromise).dispose();
}

async function handle(message: HostMessage): Promise<void> {
  const { id } = message;
  try {
    switch (message.type) {
      case 'stream':
        await runStream(id, message.request);
        return;
      case 'embed':
        await runEmbed(id, message.request);
        return;
      case 'abort':
        running.get(id)?.controller.abort();
        return;
      case 'load': {
        const entry = await load(message.path, message.options, (progress) => send({ type: 'load-progress', id, progress }));
        send({ type: 'loaded', id, model: entry.info() });
        return;
      }
      case 'unload':
        // Streams on the model end as aborted rather than holding the unload up; embeddings fail.
        // A drain (hot-swap) lets them finish: the pool's unload waits for them.
        if (message.drain !== true) for (const job of running.values()) if (job.path === message.path) job.controller.abort();
        await pool.unload(message.path);
        send({ type: 'unloaded', id });
        return;
      case 'set-budget':
        await pool.setBudget(message.bytes);
        send({ type: 'budget-set', id });
        return;
      case 'tokenize': {
        const entry = await ensureLoaded(message.path, undefined);
        send({ type: 'tokens', id, tokens: [...entry.model.tokenize(message.text)] });
        return;
      }
      case 'status':
        send({ type: 'status', id, status: await status() });
        return;
      case 'fit':
        send({ type: 'fit-result', id, fit: await estimateFit(await getEngineLlama(), message.request) });
        return;
      case 'dispose':
        await dispose();
        send({ type: 'disposed', id });
        // Let the reply flush, then leave; the host force-kills if this hangs.
        process.disconnect?.();
        return;
    }
  } catch (error) {
    send({ type: 'failed', id, error: errorData(error) });
  }
}

function startEngineWorker(): void {
  process.on('message', (raw: unknown) => {
    const parsed = hostMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw !== null && 'id' in raw ? Number(raw.id) : NaN;
      const message = `Malformed engine request: ${parsed.error.message}`;
      // Answer it when we can, so the host's request fails instead of hanging.
      if (Number.isInteger(id) && id >= 0) send({ type: 'failed', id, error: { kind: 'bad_request', message } });
      else log(message);
      return;
    }
    void handle(parsed.data);
  });

  // Losing the host means nobody can use our results: leave instead of lingering as an orphan.
  process.on('disconnect', () => process.exit(0));
  // The host owns our lifetime. A terminal's Ctrl-C reaches the whole process group; the host
  // aborts the stream and disposes us, so dying here first would record a stop as a crash.
  process.on('SIGINT', () => undefined);
  process.on('unhandledRejection', (reason) => log(`engine worker: unhandled rejection: ${String(reason)}`));

  send({ type: 'ready', pid: process.pid });
}

// One entry for both jobs, so a build bundles one worker file: the engine, or a GPU self-check.
if (process.env[WORKER_ENV.mode] === 'probe') void runBackendProbe();
else startEngineWorker();
