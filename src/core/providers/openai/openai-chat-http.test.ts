import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generate } from '../../../shared/llm';
import { keepAliveFetch } from '../http/keep-alive-fetch';
import { createOpenAI } from './create-openai';

const key = 'sk-test-LEAKCHECK-chat-http-000111';
const prompt = { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };
const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-h', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const SSE = `${chunk({ role: 'assistant', content: 'Hi' })}${chunk({}, 'stop')}data: [DONE]\n\n`;

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that records each request and answers it with `answer`. */
async function serve(answer: (path: string, res: ServerResponse) => void) {
  const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => answer(req.url ?? '', res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  return { baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

describe('the direct chat completions path', () => {
  it('sends what the SDK would send: its URL and query, key, user agent, the provider headers and the call headers', async () => {
    const { baseURL, seen } = await serve((_, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(SSE));
    const model = createOpenAI({ baseURL, apiKey: key, apiKeyEnvVar: null, headers: { 'X-Preset': 'p' }, query: { 'api-version': '1' } }).languageModel('m');
    const result = await generate(model, { ...prompt, headers: { 'X-Call': 'c', 'x-preset': 'override' } });
    expect(result.text).toBe('Hi');
    expect(seen[0]?.path).toBe('/v1/chat/completions?api-version=1');
    expect(seen[0]?.headers).toMatchObject({
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': expect.stringMatching(/^OpenAI\/JS /),
      'x-call': 'c',
      'x-preset': 'override',
    });
  });

  it('hands a redirect to the SDK, which follows it', async () => {
    const { baseURL, seen } = await serve((path, res) => {
      if (path.startsWith('/v1/')) res.writeHead(307, { location: '/moved/chat/completions' }).end();
      else res.writeHead(200, { 'content-type': 'text/event-stream' }).end(SSE);
    });
    const model = createOpenAI({ baseURL, apiKey: key, apiKeyEnvVar: null }).languageModel('m');
    const result = await generate(model, prompt);
    expect(result.text).toBe('Hi');
    expect(result.error).toBeUndefined();
    expect(seen.at(-1)?.path).toBe('/moved/chat/completions');
  });

  it('fails as the SDK path does on an error answer, JSON or not', async () => {
    let body = 'bad gateway upstream';
    const { baseURL } = await serve((_, res) => res.writeHead(body.startsWith('{') ? 429 : 502, { 'content-type': 'text/plain', 'retry-after': '2' }).end(body));
    const direct = createOpenAI({ baseURL, apiKey: key, apiKeyEnvVar: null }).languageModel('m');
    const viaSdk = createOpenAI({ baseURL, apiKey: key, apiKeyEnvVar: null, fetch: keepAliveFetch() }).languageModel('m');
    for (const next of ['bad gateway upstream', '{"error":{"message":"slow down","code":"rate_limit_exceeded"}}']) {
      body = next;
      const [a, b] = await Promise.all([direct.stream(prompt).catch((e: unknown) => e), viaSdk.stream(prompt).catch((e: unknown) => e)]);
      expect(a).toMatchObject({ kind: body.startsWith('{') ? 'rate_limit' : 'server' });
      const shape = (e: unknown) => {
        const { kind, status, message, retryable, retryAfterMs } = e as Record<string, unknown>;
        return { kind, status, message, retryable, retryAfterMs };
      };
      expect(shape(a)).toEqual(shape(b));
    }
  });
});
