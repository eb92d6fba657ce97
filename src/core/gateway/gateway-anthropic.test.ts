import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIRE_PNG } from '../../../test/wire/openai-wire';
import { type GatewayFixture, startGatewayFixture } from './testing/gateway-fixture';

/**
 * The gateway's Anthropic-format API driven by the official @anthropic-ai/sdk, in front of a real
 * core whose group is served by an OpenAI wire server: Anthropic in, OpenAI out.
 */
let f: GatewayFixture;
let client: Anthropic;

beforeAll(async () => {
  f = await startGatewayFixture();
  // The SDK's baseURL has no /v1: it adds /v1/messages itself.
  client = new Anthropic({ baseURL: f.gateway.baseURL.replace(/\/v1$/, ''), apiKey: f.token, maxRetries: 0 });
});
afterAll(async () => {
  await f?.close();
});

const lastUpstream = () => f.wire.requests.at(-1)?.body as Record<string, unknown>;

describe('gateway: Anthropic messages', () => {
  it('answers with a message, sends the system prompt on, and records the token name', async () => {
    const message = await client.messages.create({ model: 'fast', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] });
    expect(message.type).toBe('message');
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the wire.' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 5, output_tokens: 4 });
    expect(lastUpstream()).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] });
    expect((await f.calls()).at(-1)).toMatchObject({ client: 'editor', provider: 'wire', outcome: 'success' });
  });

  it("streams Anthropic's event sequence, which the SDK assembles into the final message", async () => {
    const stream = client.messages.stream({ model: 'fast', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the wire.' }]);
    expect(message.usage).toMatchObject({ input_tokens: 5, output_tokens: 4 });
    expect(events[0]).toBe('message_start');
    expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(events).toContain('content_block_delta');
  });

  it('takes tools and images, returns tool_use, and takes the tool_result back', async () => {
    f.wire.enqueue({ toolCalls: [{ id: 'call_a1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const tools: Anthropic.Tool[] = [{ name: 'get_weather', description: 'weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
    const question: Anthropic.MessageParam = {
      role: 'user',
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: WIRE_PNG } },
        { type: 'text', text: 'Weather where this was taken?' },
      ],
    };
    const stream = client.messages.stream({ model: 'fast', max_tokens: 64, tools, messages: [question] });
    const first = await stream.finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([{ type: 'tool_use', id: 'call_a1', name: 'get_weather', input: { city: 'Oslo' } }]);
    const sentImage = (lastUpstream().messages as Array<{ content: unknown }>)[0]?.content;
    expect(sentImage).toEqual(expect.arrayContaining([{ type: 'image_url', image_url: { url: `data:image/png;base64,${WIRE_PNG}` } }]));

    await client.messages.create({
      model: 'fast',
      max_tokens: 64,
      tools,
      messages: [question, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_a1', content: '3 C' }] }],
    });
    expect((lastUpstream().messages as unknown[]).at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_a1', content: '3 C' });
  });
});

describe('gateway: Anthropic models', () => {
  it("lists the groups in Anthropic's list shape", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['fast', 'solo', 'wire/gpt-4o-mini']));
    expect((await client.models.retrieve('fast')).type).toBe('model');
  });
});

describe('gateway: Anthropic errors raise the SDK exceptions', () => {
  it('401 for a wrong key, 404 for an unknown model, 400 for a missing max_tokens', async () => {
    const wrong = new Anthropic({ baseURL: f.gateway.baseURL.replace(/\/v1$/, ''), apiKey: 'sbk-wrong', maxRetries: 0 });
    await expect(wrong.messages.create({ model: 'fast', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    await expect(client.messages.create({ model: 'nobody/nothing', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    const missing = await client.messages.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.BadRequestError);
    expect((missing as Error).message).toContain('max_tokens is required');
  });

  it('402 billing_error for a group whose budget is spent', async () => {
    const error = await client.messages.create({ model: 'pricey', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(402);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'billing_error' } });
  });
});
