import { describe, expect, it } from 'vitest';
import { collectStream, generate, ProviderError, streamPartSchema, type StreamPart } from '../../../shared/llm';
import { createMock } from './create-mock';
import { mockUsage } from './estimate-mock-usage';
import { seededRandom } from '../../../shared/seeded-random';
import { DEFAULT_MOCK_RESPONSE } from './mock-settings';
import { splitIntoTokens } from './split-into-tokens';

const prompt = (text: string) => ({ messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text }] }] });

async function partsOf(stream: ReadableStream<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('splitIntoTokens', () => {
  it('splits into words that join back into the text', () => {
    expect(splitIntoTokens('Hello, mock  world! ')).toEqual(['Hello,', ' mock', '  world!', ' ']);
    expect(splitIntoTokens('')).toEqual([]);
    const text = ' lead and\ntrail ';
    expect(splitIntoTokens(text).join('')).toBe(text);
  });
});

describe('mockUsage', () => {
  it('estimates characters / 4 and marks it as an estimate', () => {
    const usage = mockUsage({ ...prompt('12345678'), system: 'abcd' }, { text: 'abcdefgh', reasoning: '', toolInputs: [] }, undefined);
    expect(usage).toEqual({
      inputTokens: { total: 3, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 2, text: 2, reasoning: undefined },
      raw: { mock: true, estimated: true, method: 'characters / 4' },
    });
  });

  it('reports given counts exactly and leaves the rest undefined', () => {
    const usage = mockUsage(prompt('x'), { text: 'y', reasoning: '', toolInputs: [] }, { inputTokens: 20, cacheReadTokens: 8, outputTokens: 10, reasoningTokens: 4 });
    expect(usage.inputTokens).toEqual({ total: 20, noCache: 12, cacheRead: 8, cacheWrite: undefined });
    expect(usage.outputTokens).toEqual({ total: 10, text: 6, reasoning: 4 });
    expect(mockUsage(prompt('x'), { text: 'y', reasoning: '', toolInputs: [] }, {}).outputTokens.total).toBeUndefined();
  });
});

describe('MockLanguageModel', () => {
  it('streams the canned answer as word tokens, in well-formed spec parts', async () => {
    const model = createMock({ response: 'One two three.' }).languageModel('mock-small');
    const parts = await partsOf((await model.stream(prompt('hi'))).stream);
    for (const part of parts) expect(streamPartSchema.safeParse(part).success).toBe(true);
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta', 'text-delta', 'text-delta', 'text-end', 'finish']);
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => p.delta)).toEqual(['One', ' two', ' three.']);
    expect(parts[1]).toMatchObject({ modelId: 'mock-small' });
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'stop' }, usage: { outputTokens: { total: 4 }, raw: { estimated: true } } });
  });

  it('answers with a default sentence, or echoes the last user message', async () => {
    expect((await generate(createMock().languageModel('m'), prompt('hi'))).text).toBe(DEFAULT_MOCK_RESPONSE);
    const echo = createMock({ echo: true }).languageModel('m');
    const result = await generate(echo, {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'first' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
        { role: 'user', content: [{ type: 'text', text: 'repeat after me' }] },
      ],
    });
    expect(result.text).toBe('repeat after me');
  });

  it('streams reasoning first, then text, then tool calls', async () => {
    const model = createMock({ reasoning: 'Think first.', response: 'Calling.', toolCalls: [{ toolName: 'lookup', input: { q: 1 } }] }).languageModel('m');
    const result = await generate(model, prompt('x'));
    expect(result.reasoning).toBe('Think first.');
    expect(result.text).toBe('Calling.');
    expect(result.toolCalls).toEqual([{ toolCallId: 'mock-call-1', toolName: 'lookup', input: '{"q":1}' }]);
    expect(result.finishReason.unified).toBe('tool-calls');
    expect(result.usage.outputTokens.reasoning).toBe(3);
  });

  it('honours maxOutputTokens, stop sequences and a finish reason override', async () => {
    const model = createMock({ response: 'a b c d e f' }).languageModel('m');
    expect(await generate(model, { ...prompt('x'), maxOutputTokens: 2 })).toMatchObject({ text: 'a b', finishReason: { unified: 'length' } });
    expect(await generate(model, { ...prompt('x'), stop: [' d'] })).toMatchObject({ text: 'a b c', finishReason: { unified: 'stop', raw: 'stop-sequence' } });
    const filtered = createMock({ response: 'x', finishReason: 'content-filter' }).languageModel('m');
    expect((await generate(filtered, prompt('x'))).finishReason.unified).toBe('content-filter');
  });

  it('a fault without afterTokens rejects stream() with a ProviderError of its kind', async () => {
    const model = createMock({ fault: { kind: 'rate_limit', retryAfterMs: 1500 } }).languageModel('m');
    const error = await rejection(model.stream(prompt('x')));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).toData()).toEqual({
      kind: 'rate_limit',
      message: 'Mock provider: a simulated rate_limit error.',
      status: 429,
      retryable: true,
      retryAfterMs: 1500,
      provider: 'mock',
    });
  });

  it('a fault afterTokens is an error part after that many tokens, then finish', async () => {
    const model = createMock({ response: 'one two three four', fault: { kind: 'connection', afterTokens: 2 } }).languageModel('m');
    const parts = await partsOf((await model.stream(prompt('x'))).stream);
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta', 'text-delta', 'text-end', 'error', 'finish']);
    expect(parts.at(-2)).toMatchObject({ error: { kind: 'connection', retryable: true, provider: 'mock' } });
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'error' } });
  });

  it('a fault rate fails a seeded share of calls, the same calls for the same seed', async () => {
    const outcomes = async (seed: number) => {
      const model = createMock({ response: 'ok', seed, fault: { kind: 'server', rate: 0.5 } }).languageModel('m');
      const out: string[] = [];
      for (let i = 0; i < 20; i += 1) out.push(await model.stream(prompt('x')).then(() => 'ok', (e: unknown) => (e as ProviderError).kind));
      return out;
    };
    const first = await outcomes(42);
    expect(await outcomes(42)).toEqual(first);
    expect(first).toContain('ok');
    expect(first).toContain('server');
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('honours abort: mid-stream ends with an aborted finish, before the call rejects', async () => {
    const controller = new AbortController();
    const model = createMock({ response: 'tick '.repeat(50), tokenDelayMs: 5 }).languageModel('m');
    const { stream } = await model.stream({ ...prompt('x'), abortSignal: controller.signal });
    const reader = stream.getReader();
    const seen: StreamPart[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen.push(value);
      if (value.type === 'text-delta') controller.abort();
    }
    expect(seen.slice(-2).map((p) => p.type)).toEqual(['text-end', 'finish']);
    expect(seen.at(-1)).toMatchObject({ finishReason: { unified: 'aborted' } });
    expect(seen.filter((p) => p.type === 'text-delta')).toHaveLength(1);
    expect(await rejection(model.stream({ ...prompt('x'), abortSignal: controller.signal }))).toMatchObject({ kind: 'aborted' });
  });

  it('an abort during the latency ends the stream before any text', async () => {
    const controller = new AbortController();
    const model = createMock({ latencyMs: 10_000 }).languageModel('m');
    const { stream } = await model.stream({ ...prompt('x'), abortSignal: controller.signal });
    const reading = collectStream(stream);
    controller.abort();
    const result = await reading;
    expect(result.text).toBe('');
    expect(result.finishReason.unified).toBe('aborted');
  });

  it('cancelling the reader stops the stream', async () => {
    const model = createMock({ response: 'tick '.repeat(50), tokenDelayMs: 10_000 }).languageModel('m');
    const reader = (await model.stream(prompt('x'))).stream.getReader();
    for (;;) {
      const { value } = await reader.read();
      if (value?.type === 'text-delta') break;
    }
    await reader.cancel();
  });

  it('rejects bad settings with a bad_request naming the path', () => {
    expect(() => createMock({ fault: { kind: 'server', rate: 2 } })).toThrow(/^mock\.fault\.rate: /);
  });
});
