import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnthropicScenario, anthropicStreamEvents, startAnthropicWire } from './anthropic-wire';
import type { WireServer } from './scenario';

let server: WireServer;
let client: Anthropic;

beforeAll(async () => {
  server = await startAnthropicWire();
  client = new Anthropic({ apiKey: 'sk-ant-wire-test', baseURL: server.baseURL, maxRetries: 0, logLevel: 'off' });
});
afterAll(async () => {
  await server.close();
});

const request = { model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('the Anthropic wire server, read by the real SDK', () => {
  it("streams events the SDK's own accumulator turns into the whole message", async () => {
    server.enqueue({
      reasoning: ['Think', 'ing.'],
      text: ['Hel', 'lo'],
      toolCalls: [{ id: 'toolu_1', name: 'lookup', arguments: '{"q":"wire"}' }],
      usage: { input: 50, cacheRead: 30, cacheWrite: 10, output: 9 },
    });
    const message = await client.messages.stream(request).finalMessage();
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'thinking', thinking: 'Thinking.' }),
      expect.objectContaining({ type: 'text', text: 'Hello' }),
      expect.objectContaining({ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'wire' } }),
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 30, cache_creation_input_tokens: 10, output_tokens: 9 });
  });

  it('answers without streaming with the same content', async () => {
    server.enqueue({ text: ['Hel', 'lo'], usage: { input: 5, output: 2 }, finish: 'length' });
    const message = await client.messages.create(request);
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-haiku-4-5', stop_reason: 'max_tokens' });
    expect(message.content).toEqual([{ type: 'text', text: 'Hello' }]);
    expect(message.usage).toMatchObject({ input_tokens: 5, output_tokens: 2 });
  });

  it("answers a status fault with Anthropic's error body", async () => {
    server.enqueue({ fault: { kind: 'status', status: 429, retryAfter: 2, message: 'Number of requests has exceeded your rate limit' } });
    const error = await client.messages.create(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error).toMatchObject({ status: 429, type: 'rate_limit_error', apiMessage: 'Number of requests has exceeded your rate limit' });
  });

  it('sends a streamed error event the SDK raises as an APIError', async () => {
    const overloaded: AnthropicScenario = { text: ['a', 'b'], streamError: { afterEvents: 3, type: 'overloaded_error' } };
    server.enqueue(overloaded);
    const stream = await client.messages.create({ ...request, stream: true });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['message_start', 'content_block_start']);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ type: 'overloaded_error' });
  });

  it('counts tokens and lists models', async () => {
    const counted: AnthropicScenario = { countTokens: 42 };
    server.enqueue(counted);
    expect(await client.messages.countTokens({ model: 'claude-haiku-4-5', messages: request.messages })).toEqual({ input_tokens: 42 });
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['claude-sonnet-4-6', 'claude-haiku-4-5']);
  });

  it('frames each event as a named SSE event whose data repeats the type', () => {
    const events = anthropicStreamEvents({ text: ['x'], usage: { input: 1, output: 1 } }, 'm');
    for (const event of events) {
      const match = /^event: (\w+)\ndata: (.*)\n\n$/s.exec(event);
      expect(match).not.toBeNull();
      expect((JSON.parse(match?.[2] ?? '{}') as { type: string }).type).toBe(match?.[1]);
    }
    expect(events.map((e) => /^event: (\w+)/.exec(e)?.[1])).toEqual([
      'message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop',
    ]);
  });
});
