import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIWire } from './openai-wire';
import type { WireServer } from './scenario';

let server: WireServer;
beforeEach(async () => {
  server = await startOpenAIWire();
});
afterEach(async () => {
  await server.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${server.baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The `data:` payloads of an SSE body. */
function dataLines(text: string): string[] {
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice('data: '.length));
}

describe('OpenAI wire server (raw HTTP, checked against the documented format)', () => {
  it('streams chat.completion.chunk events, the usage chunk only when asked, then [DONE]', async () => {
    server.enqueue({ text: ['Hi', ' there'], usage: { input: 5, output: 2, cacheRead: 1 }, finish: 'stop' });
    const response = await post('/chat/completions', { model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [] });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const lines = dataLines(await response.text());
    expect(lines.at(-1)).toBe('[DONE]');
    const chunks = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown> & { choices: Array<Record<string, unknown>> });
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }], usage: null });
    expect(chunks[1]?.choices[0]).toMatchObject({ delta: { content: ' there' } });
    expect(chunks[2]?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks[3]).toMatchObject({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, prompt_tokens_details: { cached_tokens: 1 } } });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);

    server.enqueue({ text: ['x'], usage: { input: 5, output: 1 }, finish: 'stop' });
    const quiet = dataLines(await (await post('/chat/completions', { model: 'm', stream: true, messages: [] })).text());
    expect(quiet.some((l) => l.includes('prompt_tokens'))).toBe(false);
  });

  it('streams tool calls as deltas keyed by index: id and name first, arguments in pieces', async () => {
    server.enqueue({ toolCalls: [{ id: 'call_a', name: 'lookup', arguments: '{"query":"wire protocols"}' }], finish: 'tool-calls' });
    const lines = dataLines(await (await post('/chat/completions', { model: 'm', stream: true, messages: [] })).text());
    const deltas = lines
      .slice(0, -1)
      .map((l) => (JSON.parse(l) as { choices: Array<{ delta: { tool_calls?: Array<{ index: number; id?: string; function: { name?: string; arguments: string } }> }; finish_reason: string | null }> }).choices[0]);
    const calls = deltas.flatMap((d) => d?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '' } });
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.map((c) => c.function.arguments).join('')).toBe('{"query":"wire protocols"}');
    expect(deltas.at(-1)?.finish_reason).toBe('tool_calls');
  });

  it('answers without stream as one chat.completion', async () => {
    server.enqueue({ text: ['Whole'], usage: { input: 2, output: 1 }, finish: 'length' });
    const body = (await (await post('/chat/completions', { model: 'm', messages: [] })).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'Whole' }, finish_reason: 'length' }], usage: { prompt_tokens: 2 } });
  });

  it("answers faults with OpenAI's error body and Retry-After", async () => {
    server.enqueue({ fault: { kind: 'status', status: 429, retryAfter: 3, message: 'Rate limit reached' } });
    const response = await post('/chat/completions', { model: 'm', stream: true, messages: [] });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({ error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } });
  });

  it('lists models and records requests', async () => {
    const models = (await (await fetch(`${server.baseURL}/models`)).json()) as { object: string; data: Array<{ id: string; object: string }> };
    expect(models.object).toBe('list');
    expect(models.data[0]).toMatchObject({ object: 'model' });
    expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models' });
  });
});
