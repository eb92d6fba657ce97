import {
  messageText,
  ProviderError,
  type CallOptions,
  type FinishReason,
  type LanguageModel,
  type ModelCapabilities,
  type StreamPart,
} from '../../../shared/llm';
import { mockUsage } from './estimate-mock-usage';
import { mockFaultError } from './mock-fault';
import { DEFAULT_MOCK_RESPONSE, type MockSettings } from './mock-settings';
import { splitIntoTokens } from './split-into-tokens';

const PROVIDER = 'mock';
const TEXT_ID = 'text-0';
const REASONING_ID = 'reasoning-0';

let responses = 0;

/**
 * A model that calls nothing: it streams a canned or echoed answer as real spec parts, with
 * optional latency, token pacing and faults. Honours abort, maxOutputTokens and stop sequences.
 */
export class MockLanguageModel implements LanguageModel {
  readonly provider = PROVIDER;
  readonly capabilities: ModelCapabilities = { vision: true, tools: true, reasoning: true, json: true };

  constructor(
    readonly modelId: string,
    private readonly settings: MockSettings,
    /** Draws whether a fault with a `rate` fires; the factory's seeded generator. */
    private readonly random: () => number,
  ) {}

  async stream(options: CallOptions): Promise<{ stream: ReadableStream<StreamPart> }> {
    const settings = this.settings;
    const signal = options.abortSignal;
    const aborted = () => new ProviderError({ kind: 'aborted', message: 'The mock call was aborted.', provider: PROVIDER });
    if (signal?.aborted) throw aborted();

    const fault = settings.fault !== undefined && this.random() < (settings.fault.rate ?? 1) ? settings.fault : undefined;
    if (fault !== undefined && fault.afterTokens === undefined) {
      // Fails before the stream, as an HTTP error would: after the latency a server would take.
      if (!(await sleep(settings.latencyMs ?? 0, signal))) throw aborted();
      throw mockFaultError(fault);
    }

    const answer = this.answer(options);
    const modelId = this.modelId;
    const id = `mock-${(responses += 1)}`;
    const internal = new AbortController();
    const stop = signal === undefined ? internal.signal : AbortSignal.any([signal, internal.signal]);

    async function* run(): AsyncGenerator<StreamPart> {
      yield { type: 'stream-start', warnings: [] };
      yield { type: 'response-metadata', id, modelId, timestamp: Date.now() };
      const emptyUsage = { inputTokens: {}, outputTokens: {} };
      const abortedFinish: StreamPart = { type: 'finish', usage: emptyUsage, finishReason: { unified: 'aborted' } };
      if (!(await sleep(settings.latencyMs ?? 0, stop))) return yield abortedFinish;

      let sent = 0;
      let open: string | undefined;
      const blocks: Array<{ kind: 'reasoning' | 'text'; tokens: string[] }> = [
        { kind: 'reasoning', tokens: splitIntoTokens(answer.reasoning) },
        { kind: 'text', tokens: answer.tokens },
      ];
      for (const block of blocks) {
        for (const token of block.tokens) {
          if (fault !== undefined && block.kind === 'text' && sent === fault.afterTokens) {
            if (open !== undefined) yield { type: open === TEXT_ID ? 'text-end' : 'reasoning-end', id: open };
            yield { type: 'error', error: mockFaultError(fault).toData() };
            return yield { type: 'finish', usage: emptyUsage, finishReason: { unified: 'error', raw: fault.kind } };
          }
          if (sent > 0 && !(await sleep(settings.tokenDelayMs ?? 0, stop))) {
            if (open !== undefined) yield { type: open === TEXT_ID ? 'text-end' : 'reasoning-end', id: open };
            return yield abortedFinish;
          }
          const blockId = block.kind === 'text' ? TEXT_ID : REASONING_ID;
          if (open !== blockId) {
            if (open !== undefined) yield { type: open === TEXT_ID ? 'text-end' : 'reasoning-end', id: open };
            open = blockId;
            yield { type: block.kind === 'text' ? 'text-start' : 'reasoning-start', id: blockId };
          }
          yield block.kind === 'text' ? { type: 'text-delta', id: blockId, delta: token } : { type: 'reasoning-delta', id: blockId, delta: token };
          if (block.kind === 'text') sent += 1;
        }
      }
      if (open !== undefined) yield { type: open === TEXT_ID ? 'text-end' : 'reasoning-end', id: open };
      if (fault !== undefined) {
        // afterTokens at or past the end of the answer: the fault still fires, before the finish.
        yield { type: 'error', error: mockFaultError(fault).toData() };
        return yield { type: 'finish', usage: emptyUsage, finishReason: { unified: 'error', raw: fault.kind } };
      }
      for (const call of answer.toolCalls) yield { type: 'tool-call', ...call };
      yield { type: 'finish', usage: answer.usage, finishReason: answer.finishReason };
    }

    const parts = run();
    const stream = new ReadableStream<StreamPart>({
      async pull(controller) {
        const next = await parts.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        internal.abort();
        await parts.return(undefined);
      },
    });
    return { stream };
  }

  /** What to say: the canned or echoed text cut by stop sequences and maxOutputTokens, tool calls, usage, finish reason. */
  private answer(options: CallOptions) {
    const settings = this.settings;
    let text = settings.echo ? lastUserText(options) : (settings.response ?? DEFAULT_MOCK_RESPONSE);
    let finishReason: FinishReason = { unified: 'stop', raw: 'mock' };
    for (const stop of options.stop ?? []) {
      const at = text.indexOf(stop);
      if (at >= 0) {
        text = text.slice(0, at);
        finishReason = { unified: 'stop', raw: 'stop-sequence' };
      }
    }
    let tokens = splitIntoTokens(text);
    if (options.maxOutputTokens !== undefined && tokens.length > options.maxOutputTokens) {
      tokens = tokens.slice(0, options.maxOutputTokens);
      finishReason = { unified: 'length', raw: 'mock' };
    }
    const toolCalls = (settings.toolCalls ?? []).map((call, i) => ({
      toolCallId: call.toolCallId ?? `mock-call-${i + 1}`,
      toolName: call.toolName,
      input: typeof call.input === 'string' ? call.input : (JSON.stringify(call.input ?? {}) ?? '{}'),
    }));
    if (toolCalls.length > 0 && finishReason.unified === 'stop') finishReason = { unified: 'tool-calls', raw: 'mock' };
    if (settings.finishReason !== undefined) finishReason = { unified: settings.finishReason, raw: 'mock' };
    const reasoning = settings.reasoning ?? '';
    const usage = mockUsage(options, { text: tokens.join(''), reasoning, toolInputs: toolCalls.map((c) => c.input) }, settings.usage);
    return { tokens, reasoning, toolCalls, usage, finishReason };
  }
}

function lastUserText(options: CallOptions): string {
  for (let i = options.messages.length - 1; i >= 0; i -= 1) {
    const message = options.messages[i];
    if (message?.role === 'user') return messageText(message);
  }
  return '';
}

/** Waits, or stops early when the signal aborts. Resolves false when it was aborted. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
