import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ProviderError,
  streamPartSchema,
  type CallOptions,
  type LanguageModel,
  type ProviderErrorData,
  type StreamPart,
  type StreamPartOf,
  type UnifiedFinishReason,
} from '../../../shared/llm';
import type { Fault, Scenario, WireServer } from '../../../../test/wire/scenario';
import type { ContractSubject } from './contract-subject';

/**
 * The one contract every language-model adapter meets, driven through its real SDK against its
 * wire server on 127.0.0.1. Call it from the adapter's `contract.test.ts`:
 *
 * ```ts
 * describeModelContract({ name: 'openai', startServer: startOpenAIWire, createModel: …, supports: {…} });
 * ```
 *
 * What a wire server must make of a `Scenario` for these tests to mean what they say:
 * - `usage.input` is the **whole** prompt, cached tokens included (`cacheRead` is a part of it);
 *   `usage.output` is the whole output, reasoning included.
 * - A count left out of `usage` is not reported at all, so the adapter must leave it `undefined`.
 * - `fault.afterEvents` counts the protocol's events (an adapter's first text may come after a
 *   few framing events); the suite cuts late enough that some text has arrived.
 *
 * What the suite accepts from an adapter:
 * - An error before the stream starts (an HTTP status, no key, a reset) may reject `stream()` with a
 *   `ProviderError`, or arrive as an `error` part followed by `finish`. Once text has been streamed
 *   it must be parts.
 * - The subject's `createModel` gets `maxRetries: 0`: the router retries, SDKs must not.
 * - `createModel(server, { apiKey: '' })` means "no key configured".
 */
export function describeModelContract(subject: ContractSubject): void {
  describe(`model contract: ${subject.name}`, () => {
    let server: WireServer;
    let captured: string[];
    const key = subject.fakeApiKey;

    beforeEach(async () => {
      server = await subject.startServer();
      captured = [];
      // Everything the adapter or its SDK logs is checked for the key after each test.
      for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          captured.push(args.map((a) => (a instanceof Error ? `${a.message} ${String(a.stack)}` : safeString(a))).join(' '));
        });
      }
    });

    afterEach(async () => {
      vi.restoreAllMocks();
      await server.close();
      if (key !== undefined) {
        for (const line of captured) expect(line, 'console output must not carry the API key').not.toContain(key);
      }
    });

    const model = (options?: { apiKey?: string; timeoutMs?: number }): LanguageModel =>
      subject.createModel(server, { maxRetries: 0, ...(key === undefined ? {} : { apiKey: key }), ...options });

    const run = (scenario: Scenario, options: Partial<CallOptions> = {}, modelOptions?: { apiKey?: string; timeoutMs?: number }) => {
      server.enqueue(scenario);
      return runModel(model(modelOptions), { ...PROMPT, ...options });
    };

    const expectNoKey = (outcome: Outcome) => {
      if (key === undefined) return;
      const texts = [outcome.error?.message, outcome.rejected?.message, outcome.rejected ? String(outcome.rejected.stack) : undefined];
      for (const text of texts) if (text !== undefined) expect(text, 'error messages must not carry the API key').not.toContain(key);
      expect(JSON.stringify(outcome.parts)).not.toContain(key);
    };

    describe('stream shape', () => {
      it('starts with stream-start, ends with exactly one finish, and every part fits the spec', async () => {
        const outcome = await run({ text: ['Hello', ', ', 'world', '!'], usage: { input: 9, output: 4 }, finish: 'stop' });
        expectWellFormed(outcome);
        expect(outcome.error).toBeUndefined();
        expect(outcome.text).toBe('Hello, world!');
        expect(outcome.finish?.finishReason.unified).toBe('stop');
      });

      it('keeps text deltas in order and inside their text-start / text-end', async () => {
        const text = Array.from({ length: 40 }, (_, i) => `w${i} `);
        const outcome = await run({ text, usage: { input: 3, output: 40 }, finish: 'stop' });
        expectWellFormed(outcome);
        expect(outcome.text).toBe(text.join(''));
      });

      it('sends the prompt to the server', async () => {
        const outcome = await run({ text: ['ok'], finish: 'stop' }, {
          system: 'You are terse.',
          messages: [{ role: 'user', content: [{ type: 'text', text: 'What is a wire server?' }] }],
        });
        expectWellFormed(outcome);
        expect(server.requests).toHaveLength(1);
        const body = JSON.stringify(server.requests[0]?.body);
        expect(body).toContain('What is a wire server?');
        expect(body).toContain('You are terse.');
      });
    });

    describe('usage by kind', () => {
      it('reports input and output totals', async () => {
        const { finish } = await run({ text: ['a'], usage: { input: 12, output: 7 }, finish: 'stop' });
        expect(finish?.usage.inputTokens.total).toBe(12);
        expect(finish?.usage.outputTokens.total).toBe(7);
      });

      it('leaves counts the provider did not report undefined, never 0', async () => {
        const { finish } = await run({ text: ['a'], usage: { input: 12 }, finish: 'stop' });
        expect(finish?.usage.inputTokens.total).toBe(12);
        expect(finish?.usage.outputTokens.total).toBeUndefined();
        expect(finish?.usage.outputTokens.text).toBeUndefined();
        expect(finish?.usage.outputTokens.reasoning).toBeUndefined();
        expect(finish?.usage.inputTokens.cacheRead).toBeUndefined();
      });

      it('leaves every count undefined when the provider reports no usage', async () => {
        const { finish } = await run({ text: ['a'], finish: 'stop' });
        expect(finish).toBeDefined();
        for (const count of Object.values(finish?.usage.inputTokens ?? {})) expect(count).toBeUndefined();
        for (const count of Object.values(finish?.usage.outputTokens ?? {})) expect(count).toBeUndefined();
      });

      it.runIf(subject.supports.cacheRead)('reports cache-read tokens as part of the input', async () => {
        const { finish } = await run({ text: ['a'], usage: { input: 20, cacheRead: 8, output: 3 }, finish: 'stop' });
        expect(finish?.usage.inputTokens.total).toBe(20);
        expect(finish?.usage.inputTokens.cacheRead).toBe(8);
        if (finish?.usage.inputTokens.noCache !== undefined) expect(finish.usage.inputTokens.noCache).toBe(12);
      });

      it.runIf(subject.supports.reasoning)('reports reasoning tokens as part of the output', async () => {
        const { finish } = await run({ reasoning: ['Let me think.'], text: ['42'], usage: { input: 5, output: 10, reasoning: 4 }, finish: 'stop' });
        expect(finish?.usage.outputTokens.total).toBe(10);
        expect(finish?.usage.outputTokens.reasoning).toBe(4);
        if (finish?.usage.outputTokens.text !== undefined) expect(finish.usage.outputTokens.text).toBe(6);
      });

      it.runIf(subject.supports.reasoning)('streams reasoning as reasoning parts, before the text', async () => {
        const outcome = await run({ reasoning: ['Let me ', 'think.'], text: ['42'], usage: { input: 5, output: 10, reasoning: 4 }, finish: 'stop' });
        expectWellFormed(outcome);
        expect(outcome.reasoning).toBe('Let me think.');
        expect(outcome.text).toBe('42');
        const firstReasoning = outcome.parts.findIndex((p) => p.type === 'reasoning-delta');
        const firstText = outcome.parts.findIndex((p) => p.type === 'text-delta');
        expect(firstReasoning).toBeGreaterThan(-1);
        expect(firstReasoning).toBeLessThan(firstText);
      });
    });

    describe('finish reasons', () => {
      type FinishCase = [NonNullable<Scenario['finish']>, UnifiedFinishReason];
      const filtered: FinishCase[] = subject.supports.contentFilter === false ? [] : [['content-filter', 'content-filter']];
      const finishes: FinishCase[] = [['stop', 'stop'], ['length', 'length'], ...filtered];
      it.each(finishes)('maps %s', async (scripted, unified) => {
        const outcome = await run({ text: ['partial'], usage: { input: 1, output: 1 }, finish: scripted });
        expectWellFormed(outcome);
        expect(outcome.finish?.finishReason.unified).toBe(unified);
        expect(outcome.error).toBeUndefined();
      });
    });

    describe.runIf(subject.supports.tools)('tool calls', () => {
      const tools: CallOptions['tools'] = [
        { name: 'get_weather', description: 'Weather in a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
        { name: 'get_time', inputSchema: { type: 'object', properties: { tz: { type: 'string' } } } },
      ];
      const scripted = [
        { id: 'call_weather_1', name: 'get_weather', arguments: '{"city":"Paris","units":{"temp":"C"}}' },
        { id: 'call_time_2', name: 'get_time', arguments: '{"tz":"Europe/Paris"}' },
      ];

      it('sends the tools and returns each call with its name, id and whole JSON arguments', async () => {
        const outcome = await run({ toolCalls: scripted, usage: { input: 30, output: 12 }, finish: 'tool-calls' }, { tools });
        expectWellFormed(outcome);
        expect(outcome.finish?.finishReason.unified).toBe('tool-calls');
        const calls = outcome.parts.filter((p): p is StreamPartOf<'tool-call'> => p.type === 'tool-call');
        expect(calls.map((c) => c.toolName)).toEqual(['get_weather', 'get_time']);
        expect(calls.map((c) => JSON.parse(c.input) as unknown)).toEqual(scripted.map((c) => JSON.parse(c.arguments) as unknown));
        const ids = calls.map((c) => c.toolCallId);
        // The provider's ids, or (for providers without ids) unique ones the adapter made up.
        const scriptedIds = scripted.map((c) => c.id);
        if (ids.some((id) => scriptedIds.includes(id))) expect(ids).toEqual(scriptedIds);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(id.length).toBeGreaterThan(0);
        const body = JSON.stringify(server.requests[0]?.body);
        expect(body).toContain('get_weather');
        expect(body).toContain('Weather in a city');
      });

      it('sends an earlier tool call and its result back to the provider', async () => {
        const outcome = await run({ text: ['It is sunny.'], finish: 'stop' }, {
          tools,
          messages: [
            { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
            { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_weather_1', toolName: 'get_weather', input: { city: 'Paris' } }] },
            { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_weather_1', toolName: 'get_weather', output: 'sunny and 18 degrees' }] },
          ],
        });
        expectWellFormed(outcome);
        expect(outcome.text).toBe('It is sunny.');
        const body = JSON.stringify(server.requests[0]?.body);
        expect(body).toContain('sunny and 18 degrees');
        expect(body).toContain('get_weather');
      });
    });

    describe.runIf(subject.supports.images)('images', () => {
      it('sends a base64 image in the request body', async () => {
        const outcome = await run({ text: ['A red dot.'], finish: 'stop' }, {
          messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', mediaType: 'image/png', data: TINY_PNG }] }],
        });
        expectWellFormed(outcome);
        expect(outcome.text).toBe('A red dot.');
        expect(JSON.stringify(server.requests[0]?.body)).toContain(TINY_PNG);
      });
    });

    describe('abort', () => {
      it('ends the stream when the signal aborts mid-stream, without throwing or hanging', async () => {
        const controller = new AbortController();
        server.enqueue({ text: Array.from({ length: 50 }, () => 'tick '), delayMs: 20, finish: 'stop' });
        const outcome = await runModel(model(), { ...PROMPT, abortSignal: controller.signal }, (part) => {
          if (part.type === 'text-delta') controller.abort();
        });
        expect(outcome.rejected).toBeUndefined();
        expect(outcome.threw).toBeUndefined();
        expectWellFormed(outcome);
        expect(outcome.finish?.finishReason.unified).toBe('aborted');
        // An aborted call is the caller's choice, not a failure: at most an `aborted` error part.
        for (const part of outcome.parts) if (part.type === 'error') expect(part.error.kind).toBe('aborted');
        expect(outcome.text.length).toBeGreaterThan(0);
        expect(outcome.text.length).toBeLessThan(50 * 'tick '.length);
      });

      it('a signal aborted before the call rejects with `aborted` or yields an aborted finish', async () => {
        const controller = new AbortController();
        controller.abort();
        server.enqueue({ text: ['never'], finish: 'stop' });
        const outcome = await runModel(model(), { ...PROMPT, abortSignal: controller.signal });
        expect(outcome.threw).toBeUndefined();
        if (outcome.rejected) {
          expect(outcome.rejected).toBeInstanceOf(ProviderError);
          expect(outcome.rejected.kind).toBe('aborted');
        } else {
          expectWellFormed(outcome);
          expect(outcome.finish?.finishReason.unified).toBe('aborted');
          expect(outcome.text).toBe('');
        }
      });
    });

    describe('faults become ProviderErrors of the right kind', () => {
      const statusCases: Array<[Extract<Fault, { kind: 'status' }>['status'], ProviderErrorData['kind'][], boolean]> = [
        [401, ['auth'], false],
        [403, ['auth'], false],
        [404, ['not_found'], false],
        [408, ['timeout'], true],
        [413, ['bad_request', 'context_length'], false],
        [500, ['server'], true],
        [503, ['server'], true],
      ];
      it.each(statusCases)('HTTP %i', async (status, kinds, retryable) => {
        const outcome = await run({ fault: { kind: 'status', status } });
        const error = expectFailed(outcome);
        expect(kinds).toContain(error.kind);
        expect(error.retryable).toBe(retryable);
        expect(error.status).toBe(status);
        expect(error.provider).toBe(subject.name);
        expectNoKey(outcome);
        // maxRetries: 0 holds: the SDK did not retry behind our back.
        expect(server.requests).toHaveLength(1);
      });

      it('HTTP 429 with Retry-After is a rate_limit with retryAfterMs', async () => {
        const outcome = await run({ fault: { kind: 'status', status: 429, retryAfter: 7 } });
        const error = expectFailed(outcome);
        expect(error.kind).toBe('rate_limit');
        expect(error.retryable).toBe(true);
        expect(error.status).toBe(429);
        if (subject.supports.retryAfter) expect(error.retryAfterMs).toBe(7000);
        expect(server.requests).toHaveLength(1);
      });

      it('HTTP 429 without Retry-After leaves retryAfterMs undefined', async () => {
        const outcome = await run({ fault: { kind: 'status', status: 429 } });
        const error = expectFailed(outcome);
        expect(error.kind).toBe('rate_limit');
        expect(error.retryAfterMs).toBeUndefined();
      });

      it('a client-side timeout is a retryable timeout', async () => {
        const outcome = await run({ fault: { kind: 'timeout' } }, {}, { timeoutMs: 250 });
        const error = expectFailed(outcome);
        expect(error.kind).toBe('timeout');
        expect(error.retryable).toBe(true);
      });

      it('a connection reset before any answer is a retryable connection error', async () => {
        const outcome = await run({ fault: { kind: 'reset' } });
        const error = expectFailed(outcome);
        expect(error.kind).toBe('connection');
        expect(error.retryable).toBe(true);
        expectNoKey(outcome);
      });

      it('a stream cut mid-way is an error part then finish, keeping the text so far', async () => {
        const text = ['Once ', 'upon ', 'a ', 'time ', 'there ', 'was ', 'a ', 'wire.'];
        const outcome = await run({ text, usage: { input: 4, output: 8 }, finish: 'stop', fault: { kind: 'cut', afterEvents: 4 } });
        expect(outcome.rejected).toBeUndefined();
        expectWellFormed(outcome);
        const errors = outcome.parts.filter((p) => p.type === 'error');
        expect(errors).toHaveLength(1);
        expect(outcome.parts.at(-2)?.type).toBe('error');
        expect(outcome.error?.kind).toBe('connection');
        expect(outcome.error?.retryable).toBe(true);
        expect(outcome.finish?.finishReason.unified).toBe('error');
        expect(outcome.text.length).toBeGreaterThan(0);
        expect(text.join('').startsWith(outcome.text)).toBe(true);
        expect(outcome.text).not.toBe(text.join(''));
      });

      it('a malformed event is an error part of kind server, keeping the text so far', async () => {
        const text = ['Once ', 'upon ', 'a ', 'time ', 'there ', 'was ', 'a ', 'wire.'];
        const outcome = await run({ text, usage: { input: 4, output: 8 }, finish: 'stop', fault: { kind: 'malformed', afterEvents: 4 } });
        expect(outcome.rejected).toBeUndefined();
        expectWellFormed(outcome);
        expect(outcome.parts.at(-2)?.type).toBe('error');
        expect(outcome.error?.kind).toBe('server');
        expect(outcome.finish?.finishReason.unified).toBe('error');
        expect(outcome.text.length).toBeGreaterThan(0);
        expect(text.join('').startsWith(outcome.text)).toBe(true);
      });

      it('a 200 answer with the wrong content type is an error that says so', async () => {
        const outcome = await run({ fault: { kind: 'content-type', contentType: 'text/html; charset=utf-8' } });
        const error = expectFailed(outcome);
        expect(['server', 'bad_request']).toContain(error.kind);
        expect(error.message).toMatch(/content.?type|text\/html/i);
        expect(outcome.text).toBe('');
      });
    });

    describe.runIf(key !== undefined)('credentials', () => {
      it.runIf(subject.requiresApiKey !== false)('a missing key fails at call time with an auth error naming the setting', async () => {
        let created: LanguageModel | undefined;
        expect(() => {
          created = model({ apiKey: '' });
        }).not.toThrow();
        server.enqueue({ text: ['never'], finish: 'stop' });
        const outcome = await runModel(created as LanguageModel, PROMPT);
        const error = expectFailed(outcome);
        expect(error.kind).toBe('auth');
        expect(error.retryable).toBe(false);
        expect(error.message).toMatch(/key/i);
        expect(server.requests).toHaveLength(0);
      });

      it('sends the key, and never repeats it in an error even when the provider echoes it', async () => {
        const secret = key as string;
        const outcome = await run({ fault: { kind: 'status', status: 401, message: `Incorrect API key provided: ${secret}. Check your key.` } });
        const error = expectFailed(outcome);
        expect(error.kind).toBe('auth');
        expectNoKey(outcome);
        expect(JSON.stringify(server.requests[0]?.headers)).toContain(secret);
      });

      it('keeps the key out of errors and logs for every fault', async () => {
        const faults: Fault[] = [
          { kind: 'status', status: 413, message: `request too large for ${key as string}` },
          { kind: 'status', status: 500, message: `internal error (key ${key as string})` },
          { kind: 'malformed', afterEvents: 2 },
          { kind: 'cut', afterEvents: 2 },
          { kind: 'content-type', contentType: 'text/html' },
        ];
        for (const fault of faults) {
          const outcome = await run({ text: ['a', 'b', 'c', 'd'], finish: 'stop', fault });
          expectFailed(outcome);
          expectNoKey(outcome);
        }
      });
    });
  });
}

const PROMPT: CallOptions = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello.' }] }] };

/** A 1×1 PNG, base64. */
const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** How long one call may take before the suite calls it a hang. */
const HANG_MS = 8_000;

interface Outcome {
  parts: StreamPart[];
  /** `stream()` rejected (allowed only before the stream started). */
  rejected: ProviderError | undefined;
  /** Reading the stream threw: never allowed. */
  threw: unknown;
  /** The error, from the rejection or the error part. */
  error: ProviderErrorData | undefined;
  text: string;
  reasoning: string;
  finish: StreamPartOf<'finish'> | undefined;
}

async function runModel(model: LanguageModel, options: CallOptions, onPart?: (part: StreamPart) => void): Promise<Outcome> {
  const outcome: Outcome = { parts: [], rejected: undefined, threw: undefined, error: undefined, text: '', reasoning: '', finish: undefined };
  let stream: ReadableStream<StreamPart>;
  try {
    stream = (await withHangGuard(model.stream(options), 'stream()')).stream;
  } catch (error) {
    if (!(error instanceof ProviderError)) throw new Error(`stream() rejected with something other than a ProviderError: ${String(error)}`);
    outcome.rejected = error;
    outcome.error = error.toData();
    return outcome;
  }
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await withHangGuard(reader.read(), 'reading the stream');
      if (done) break;
      outcome.parts.push(value);
      onPart?.(value);
      if (value.type === 'text-delta') outcome.text += value.delta;
      if (value.type === 'reasoning-delta') outcome.reasoning += value.delta;
      if (value.type === 'error') outcome.error = value.error;
      if (value.type === 'finish') outcome.finish = value;
    }
  } catch (error) {
    outcome.threw = error;
    if (error instanceof Error && error.message.startsWith('hang:')) throw error;
  }
  return outcome;
}

function withHangGuard<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what} did not settle within ${HANG_MS} ms`)), HANG_MS);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** stream-start first, one finish last, parts valid, text/reasoning deltas inside their blocks. */
function expectWellFormed(outcome: Outcome): void {
  expect(outcome.rejected, 'stream() should not have rejected').toBeUndefined();
  expect(outcome.threw, 'reading the stream must never throw').toBeUndefined();
  const { parts } = outcome;
  expect(parts[0]?.type).toBe('stream-start');
  expect(parts.filter((p) => p.type === 'stream-start')).toHaveLength(1);
  expect(parts.filter((p) => p.type === 'finish')).toHaveLength(1);
  expect(parts.at(-1)?.type).toBe('finish');
  for (const part of parts) expect(streamPartSchema.safeParse(part).success, `part fits the spec: ${JSON.stringify(part)}`).toBe(true);
  for (const kind of ['text', 'reasoning'] as const) {
    const open = new Set<string>();
    const seen = new Set<string>();
    for (const part of parts) {
      const block = blockOf(part);
      if (block === undefined || block.kind !== kind) continue;
      if (block.phase === 'start') {
        expect(seen.has(block.id), `${kind}-start ${block.id} appears once`).toBe(false);
        open.add(block.id);
        seen.add(block.id);
      } else if (block.phase === 'delta') {
        expect(open.has(block.id), `${kind}-delta ${block.id} inside its start/end`).toBe(true);
      } else {
        expect(open.delete(block.id), `${kind}-end ${block.id} closes an open block`).toBe(true);
      }
    }
    expect([...open], `every ${kind} block is closed before finish`).toEqual([]);
  }
  const errors = parts.filter((p) => p.type === 'error');
  if (errors.length > 0) {
    expect(errors).toHaveLength(1);
    expect(parts.at(-2)?.type).toBe('error');
  }
}

/** The call failed: by rejecting before the stream, or with an error part and a finish of `error`. */
function expectFailed(outcome: Outcome): ProviderErrorData {
  expect(outcome.threw, 'reading the stream must never throw').toBeUndefined();
  if (outcome.rejected) return outcome.rejected.toData();
  expectWellFormed(outcome);
  expect(outcome.error, 'an error part').toBeDefined();
  expect(outcome.finish?.finishReason.unified).toBe('error');
  return outcome.error as ProviderErrorData;
}

function blockOf(part: StreamPart): { kind: 'text' | 'reasoning'; phase: 'start' | 'delta' | 'end'; id: string } | undefined {
  switch (part.type) {
    case 'text-start':
      return { kind: 'text', phase: 'start', id: part.id };
    case 'text-delta':
      return { kind: 'text', phase: 'delta', id: part.id };
    case 'text-end':
      return { kind: 'text', phase: 'end', id: part.id };
    case 'reasoning-start':
      return { kind: 'reasoning', phase: 'start', id: part.id };
    case 'reasoning-delta':
      return { kind: 'reasoning', phase: 'delta', id: part.id };
    case 'reasoning-end':
      return { kind: 'reasoning', phase: 'end', id: part.id };
    default:
      return undefined;
  }
}

function safeString(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
