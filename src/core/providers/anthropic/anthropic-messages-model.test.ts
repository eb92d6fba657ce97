import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AnthropicScenario, startAnthropicWire } from '../../../../test/wire/anthropic-wire';
import type { WireServer } from '../../../../test/wire/scenario';
import { collectStream, ProviderError, type CallOptions, type StreamPart } from '../../../shared/llm';
import { createAnthropic } from './create-anthropic';

const KEY = 'sk-ant-api03-ADAPTER-TEST-KEY-abcdef';
let server: WireServer;

beforeAll(async () => {
  server = await startAnthropicWire();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
  vi.unstubAllEnvs();
});

const provider = () => createAnthropic({ apiKey: KEY, baseURL: server.baseURL, headers: { 'x-team': 'ml' } });
const model = () => provider().languageModel('claude-haiku-4-5');
const prompt: CallOptions = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello?' }] }] };

async function partsOf(scenario: AnthropicScenario, options: Partial<CallOptions> = {}): Promise<StreamPart[]> {
  server.enqueue(scenario);
  const { stream } = await model().stream({ ...prompt, ...options });
  const out: StreamPart[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

function lastBody(): Record<string, unknown> {
  const body = server.requests.at(-1)?.body;
  if (typeof body !== 'object' || body === null) throw new Error('no JSON body recorded');
  return body as Record<string, unknown>;
}

describe('AnthropicMessagesModel through the SDK against the wire server', () => {
  it('streams text with metadata, usage with cache reads and writes, and the stop reason', async () => {
    const parts = await partsOf({ text: ['Hi', ' there'], usage: { input: 2000, cacheRead: 1500, cacheWrite: 400, output: 6 }, finish: 'stop' });
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta', 'text-delta', 'text-end', 'finish']);
    expect(parts[1]).toMatchObject({ type: 'response-metadata', id: 'msg_01WireStream', modelId: 'claude-haiku-4-5' });
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: {
        inputTokens: { total: 2000, noCache: 100, cacheRead: 1500, cacheWrite: 400 },
        outputTokens: { total: 6, text: 6, reasoning: undefined },
      },
    });
  });

  it('sends the system prompt, max_tokens, stop sequences, headers and the key as Anthropic expects', async () => {
    await partsOf({ text: ['ok'] }, { system: 'Be brief.', stop: ['END'], headers: { 'x-request': 'r1' } });
    const body = lastBody();
    expect(body).toMatchObject({ model: 'claude-haiku-4-5', system: 'Be brief.', max_tokens: 4096, stop_sequences: ['END'], stream: true });
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hello?' }] }]);
    const headers = server.requests.at(-1)?.headers ?? {};
    expect(headers['x-team']).toBe('ml');
    expect(headers['x-request']).toBe('r1');
    expect(headers.authorization).toBe(`Bearer ${KEY}`);
    expect(headers['anthropic-version']).toBeDefined();
    expect(server.requests.at(-1)?.path).toBe('/v1/messages');
  });

  it('reports a stop sequence as stop with its raw reason', async () => {
    const parts = await partsOf({ text: ['a'], stopSequence: 'END' }, { stop: ['END'] });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop_sequence' } });
  });

  it('turns extended thinking into reasoning parts, with the budget in the request', async () => {
    const parts = await partsOf(
      { reasoning: ['Two and ', 'two.'], text: ['4'], usage: { input: 10, output: 30, reasoning: 25 }, finish: 'stop' },
      { reasoning: { budgetTokens: 2048 }, maxOutputTokens: 512 },
    );
    expect(lastBody()).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 2560 });
    expect(parts.map((p) => p.type)).toEqual([
      'stream-start', 'response-metadata',
      'reasoning-start', 'reasoning-delta', 'reasoning-delta', 'reasoning-end',
      'text-start', 'text-delta', 'text-end',
      'finish',
    ]);
    const result = await collectStream(new ReadableStream({ start: (c) => { for (const p of parts) c.enqueue(p); c.close(); } }));
    expect(result.reasoning).toBe('Two and two.');
    expect(result.text).toBe('4');
    expect(result.usage.outputTokens).toEqual({ total: 30, text: 5, reasoning: 25 });
  });

  it('maps an effort to a thinking budget, or to adaptive thinking when asked', async () => {
    await partsOf({ text: ['x'] }, { reasoning: { effort: 'high' } });
    expect(lastBody()).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 16384 }, max_tokens: 16384 + 4096 });
    await partsOf({ text: ['x'] }, { reasoning: { effort: 'low' }, providerOptions: { anthropic: { thinkingMode: 'adaptive' } } });
    expect(lastBody()).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: 'low' }, max_tokens: 4096 });
    // Models that refuse budget_tokens get adaptive thinking without being told.
    server.enqueue({ text: ['x'] });
    await collectStream((await provider().languageModel('claude-opus-4-8').stream({ ...prompt, reasoning: { effort: 'medium' } })).stream);
    expect(lastBody()).toMatchObject({ model: 'claude-opus-4-8', thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } });
    expect(lastBody()).not.toHaveProperty('thinking.budget_tokens');
  });

  it('warns about sampling settings, seed and schema-less JSON, and does not send them', async () => {
    const parts = await partsOf({ text: ['{}'] }, { temperature: 0.2, topP: 0.9, topK: 40, seed: 7, responseFormat: { type: 'json' } });
    const start = parts[0];
    expect(start?.type === 'stream-start' ? start.warnings.map((w) => (w.type === 'unsupported' ? w.feature : w.message)) : []).toEqual([
      'temperature', 'topP', 'topK', 'seed', 'responseFormat',
    ]);
    const body = lastBody();
    for (const field of ['temperature', 'top_p', 'top_k', 'seed']) expect(body).not.toHaveProperty(field);
  });

  it('sends a JSON schema as structured output', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'] };
    await partsOf({ text: ['{"answer":4}'] }, { responseFormat: { type: 'json-schema', schema } });
    expect(lastBody()).toMatchObject({ output_config: { format: { type: 'json_schema', schema } } });
  });

  it('sends tools and assembles tool calls from input_json_delta', async () => {
    const parts = await partsOf(
      {
        text: ['Let me check.'],
        toolCalls: [
          { id: 'toolu_01A', name: 'get_weather', arguments: '{"city":"Paris","days":[1,2]}' },
          { id: 'toolu_01B', name: 'get_time', arguments: '{}' },
        ],
        usage: { input: 40, output: 20 },
      },
      {
        tools: [{ name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }, { name: 'get_time', inputSchema: {} }],
        toolChoice: 'required',
      },
    );
    expect(lastBody()).toMatchObject({
      tools: [
        { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
        { name: 'get_time', input_schema: { type: 'object' } },
      ],
      tool_choice: { type: 'any' },
    });
    const calls = parts.filter((p) => p.type === 'tool-call');
    expect(calls).toEqual([
      { type: 'tool-call', toolCallId: 'toolu_01A', toolName: 'get_weather', input: '{"city":"Paris","days":[1,2]}' },
      { type: 'tool-call', toolCallId: 'toolu_01B', toolName: 'get_time', input: '{}' },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' } });
  });

  it('puts images in the request body as base64 and URL sources', async () => {
    await partsOf({ text: ['Two cats.'] }, {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What are these?' },
            { type: 'image', mediaType: 'image/webp', data: 'UklGRiQAAABXRUJQ' },
            { type: 'image', mediaType: 'image/png', url: 'https://example.com/cat.png' },
          ],
        },
      ],
    });
    expect(lastBody().messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What are these?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'UklGRiQAAABXRUJQ' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
        ],
      },
    ]);
  });

  it('reports a streamed overloaded error as a retryable server error part after the text so far', async () => {
    // message_start, ping, content_block_start, 'Par', then `event: error`.
    const parts = await partsOf({ text: ['Par', 'tial', ' answer'], usage: { input: 3, output: 3 }, streamError: { afterEvents: 4 } });
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta', 'text-end', 'error', 'finish']);
    expect(parts.at(-2)).toMatchObject({ type: 'error', error: { kind: 'server', retryable: true, provider: 'anthropic' } });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'error' }, usage: { inputTokens: { total: 3 } } });
  });

  it('rejects before the stream with the kind, status and Retry-After of an HTTP error', async () => {
    server.enqueue({ fault: { kind: 'status', status: 429, retryAfter: 3 } });
    const error = await model().stream(prompt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'rate_limit', status: 429, retryAfterMs: 3000, retryable: true });
    expect((error as ProviderError).message).toContain('rate_limit');
  });

  it('fails at call time, naming the setting, when no key is configured', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    const claude = createAnthropic({ baseURL: server.baseURL, name: 'claude' }).languageModel('claude-haiku-4-5');
    const error = await claude.stream(prompt).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', retryable: false, provider: 'anthropic' });
    expect((error as Error).message).toContain('providers.claude.apiKey');
    expect((error as Error).message).toContain('ANTHROPIC_API_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('accepts a base URL that ends in /v1', async () => {
    server.enqueue({ text: ['ok'] });
    const claude = createAnthropic({ apiKey: KEY, baseURL: `${server.baseURL}/v1/` }).languageModel('claude-haiku-4-5');
    expect((await collectStream((await claude.stream(prompt)).stream)).text).toBe('ok');
    expect(server.requests.at(-1)?.path).toBe('/v1/messages');
  });

  it('uses ANTHROPIC_API_KEY when the settings have no key', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-from-env');
    server.enqueue({ text: ['ok'] });
    const result = await collectStream((await createAnthropic({ baseURL: server.baseURL }).languageModel('claude-haiku-4-5').stream(prompt)).stream);
    expect(result.text).toBe('ok');
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer sk-ant-from-env');
  });

  it('stops reading when the consumer cancels', async () => {
    server.enqueue({ text: Array.from({ length: 200 }, () => 'x'), delayMs: 5 });
    const { stream } = await model().stream(prompt);
    const reader = stream.getReader();
    for (;;) {
      const { value } = await reader.read();
      if (value?.type === 'text-delta') break;
    }
    await reader.cancel();
    // The server is free for the next call.
    server.enqueue({ text: ['next'] });
    expect((await collectStream((await model().stream(prompt)).stream)).text).toBe('next');
  });
});

describe('countTokens and listModels against the wire server', () => {
  it("counts a prompt's tokens with count_tokens, sending the same prompt as a call", async () => {
    const scenario: AnthropicScenario = { countTokens: 321 };
    server.enqueue(scenario);
    const count = await model().countTokens({
      ...prompt,
      system: 'Be brief.',
      tools: [{ name: 'now', inputSchema: { type: 'object' } }],
      reasoning: { budgetTokens: 2000 },
    });
    expect(count).toBe(321);
    const request = server.requests.at(-1);
    expect(request?.path).toBe('/v1/messages/count_tokens');
    expect(request?.body).toEqual({
      model: 'claude-haiku-4-5',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello?' }] }],
      system: 'Be brief.',
      tools: [{ name: 'now', input_schema: { type: 'object' } }],
      thinking: { type: 'enabled', budget_tokens: 2000 },
    });
  });

  it('is available from the factory as a CountTokens function', async () => {
    server.enqueue({ usage: { input: 17 } });
    expect(await provider().countTokens('claude-haiku-4-5')(prompt)).toBe(17);
  });

  it('maps count_tokens errors to ProviderErrors', async () => {
    server.enqueue({ fault: { kind: 'status', status: 404, message: 'model: claude-nope' } });
    await expect(provider().countTokens('claude-nope')(prompt)).rejects.toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('lists the models', async () => {
    const models = await provider().listModels();
    expect(models.map((m) => m.id)).toEqual(['claude-sonnet-4-6', 'claude-haiku-4-5']);
    expect(models[0]).toMatchObject({ displayName: 'Claude Sonnet 4.6' });
    expect(server.requests.at(-1)?.method).toBe('GET');
    expect(server.requests.at(-1)?.path).toMatch(/^\/v1\/models/);
  });
});
