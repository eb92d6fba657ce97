import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIRE_PNG } from '../../../test/wire/openai-wire';
import { type GatewayFixture, startGatewayFixture } from './testing/gateway-fixture';

/** The gateway driven by the official openai SDK, in front of a real core and an OpenAI wire server. */
let f: GatewayFixture;
let client: OpenAI;

beforeAll(async () => {
  f = await startGatewayFixture();
  client = new OpenAI({ baseURL: f.gateway.baseURL, apiKey: f.token, maxRetries: 0 });
});
afterAll(async () => {
  await f?.close();
});

const lastUpstream = () => f.wire.requests.at(-1)?.body as Record<string, unknown>;

describe('gateway: OpenAI chat completions', () => {
  it('answers a group name, and records the call with the token name as client', async () => {
    const completion = await client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('fast');
    expect(completion.choices[0]?.message.content).toBe('Hello from the wire.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });
    expect(lastUpstream()).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    const row = (await f.calls()).find((r) => completion.id === `chatcmpl-${r.requestId}`);
    expect(row).toMatchObject({ client: 'editor', provider: 'wire', model: 'gpt-4o-mini', outcome: 'success', inputTokens: expect.objectContaining({ total: 5 }), outputTokens: expect.objectContaining({ total: 4 }) });
  });

  it('streams, with the usage chunk when include_usage asks for it', async () => {
    const stream = await client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from the wire.');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 4 });
    expect((await f.calls()).at(-1)).toMatchObject({ client: 'editor', outcome: 'success' });
  });

  it('a client that goes away mid-stream aborts the call, which is still recorded', async () => {
    f.wire.enqueue({ text: ['one', ' two', ' three', ' four', ' five'], delayMs: 150 });
    const controller = new AbortController();
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'count' }] }, { signal: controller.signal })
      .withResponse();
    const requestId = response.headers.get('x-request-id');
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break;
    }
    controller.abort();
    await expect.poll(async () => (await f.calls()).find((r) => r.requestId === requestId)?.outcome, { timeout: 5000 }).toBe('aborted');
    expect((await f.calls()).find((r) => r.requestId === requestId)?.client).toBe('editor');
  });

  it('passes tools on, returns tool calls, and takes tool results back', async () => {
    f.wire.enqueue({ toolCalls: [{ id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}' }], usage: { input: 20, output: 8 } });
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    ];
    const first = await client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools, tool_choice: 'auto' });
    expect(lastUpstream().tools).toEqual([expect.objectContaining({ type: 'function', function: expect.objectContaining({ name: 'get_weather' }) })]);
    const calls = first.choices[0]?.message.tool_calls ?? [];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(calls).toEqual([{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);

    await client.chat.completions.create({
      model: 'fast',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: calls },
        { role: 'tool', tool_call_id: 'call_w1', content: '18 C, sunny' },
      ],
      tools,
    });
    const sent = lastUpstream().messages as Array<Record<string, unknown>>;
    expect(sent.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_w1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] });
    expect(sent.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_w1', content: '18 C, sunny' });
  });

  it('streams tool calls', async () => {
    f.wire.enqueue({ toolCalls: [{ id: 'call_s1', name: 'lookup', arguments: '{"q":"x"}' }] });
    const stream = await client.chat.completions.create({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'look' }], tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }] });
    const parts: OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    for await (const chunk of stream) parts.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
    expect(parts).toEqual([{ index: 0, id: 'call_s1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }]);
  });

  it('sends images (data URLs and http URLs) and response_format upstream', async () => {
    await client.chat.completions.create({
      model: 'fast',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${WIRE_PNG}` } },
            { type: 'image_url', image_url: { url: 'https://images.example.invalid/cat.jpg' } },
          ],
        },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { a: { type: 'string' } } } } },
    });
    const body = lastUpstream();
    expect((body.messages as Array<{ content: unknown }>)[0]?.content).toEqual([
      { type: 'text', text: 'Describe' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${WIRE_PNG}` } },
      { type: 'image_url', image_url: { url: 'https://images.example.invalid/cat.jpg' } },
    ]);
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } });
  });

  it('normalizes raw parameters: aliases pass through, unknown ones come back as a warning header', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'fast', messages: [{ role: 'user', content: 'x' }], max_completion_tokens: 12, temperature: 0.3, top_k: 5, flux_capacitor: 1 } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(response.headers.get('x-switchboard-warnings')).toContain('flux_capacitor');
    expect(lastUpstream()).toMatchObject({ temperature: 0.3 });
  });
});

describe('gateway: OpenAI errors raise the SDK exceptions', () => {
  it('401 for a wrong token', async () => {
    const wrong = new OpenAI({ baseURL: f.gateway.baseURL, apiKey: 'sbk-not-a-token', maxRetries: 0 });
    const error = await wrong.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
  });

  it('404 for an unknown model, recorded as a request that reached no deployment', async () => {
    const error = await client.chat.completions.create({ model: 'nobody/nothing', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((await f.calls()).at(-1)).toMatchObject({ client: 'editor', outcome: 'error', errorKind: 'not_found' });
  });

  it('400 naming the parameter for a value out of range, and for a malformed body', async () => {
    const range = await client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }], temperature: 3.5 }).catch((e: unknown) => e);
    expect(range).toBeInstanceOf(OpenAI.BadRequestError);
    expect((range as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('temperature');
    expect((range as Error).message).toContain('temperature 3.5 is out of range');
    const shape = await client.chat.completions.create({ model: 'fast', messages: [] }).catch((e: unknown) => e);
    expect(shape).toBeInstanceOf(OpenAI.BadRequestError);
    expect((shape as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages');
  });

  it('429 insufficient_quota, not retried, for a group whose budget is spent', async () => {
    const before = f.wire.requests.length;
    const { response, error } = await client.chat.completions
      .create({ model: 'pricey', messages: [{ role: 'user', content: 'x' }] })
      .then(() => ({ response: undefined, error: undefined }), (e: unknown) => ({ response: (e as { headers?: Headers }).headers, error: e }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('insufficient_quota');
    expect(response?.get('x-should-retry')).toBe('false');
    expect(f.wire.requests.length).toBe(before);
    expect((await f.calls()).at(-1)).toMatchObject({ client: 'editor', outcome: 'error', errorKind: 'budget' });
  });

  it('an upstream failure is a 5xx, not a 401 for the client', async () => {
    f.wire.enqueue({ fault: { kind: 'status', status: 401, message: 'bad upstream key' } });
    const error = await client.chat.completions.create({ model: 'solo', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  });
});

describe('gateway: models and embeddings', () => {
  it('lists groups and deployments', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['fast', 'solo', 'wire/gpt-4o-mini', 'wire/gpt-4o']));
    expect((await client.models.retrieve('fast')).owned_by).toBe('switchboard');
    await expect(client.models.retrieve('nothing')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('embeds through the provider and records one row', async () => {
    const result = await client.embeddings.create({ model: 'wire/text-embedding-3-small', input: ['one', 'two'] });
    expect(result.data).toHaveLength(2);
    expect(result.data[1]?.index).toBe(1);
    expect(result.data[0]?.embedding.length).toBeGreaterThan(0);
    expect(f.wire.requests.at(-1)?.path).toContain('/embeddings');
    expect((await f.calls()).at(-1)).toMatchObject({ client: 'editor', provider: 'wire', model: 'text-embedding-3-small', outcome: 'success' });
    await expect(client.embeddings.create({ model: 'local/no-such-model', input: 'x' })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('records a failed embedding as an error row, and answers 502', async () => {
    f.wire.enqueue({ fault: { kind: 'status', status: 500 } }, { fault: { kind: 'status', status: 500 } }, { fault: { kind: 'status', status: 500 } });
    const error = await client.embeddings.create({ model: 'wire/text-embedding-3-small', input: 'x' }).catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((await f.calls()).at(-1)).toMatchObject({ client: 'editor', provider: 'wire', outcome: 'error', errorKind: 'server' });
  });
});
