import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS_FILE } from './gateway-tokens';
import { type GatewayFixture, startGatewayFixture } from './testing/gateway-fixture';

/** Host/Origin checks, CORS, limits and logging, against a real gateway over a real core. */
let f: GatewayFixture;
const logs: string[] = [];

beforeAll(async () => {
  f = await startGatewayFixture({
    configExtra: `
gateway:
  maxBodyBytes: 4096
  maxConcurrency: 2
`,
    gateway: { log: (level, message) => logs.push(`${level}: ${message}`) },
  });
});
afterAll(async () => {
  await f?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: f.gateway.port, method: options.method ?? 'POST', path: options.path ?? '/v1/chat/completions', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const chatBody = JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'Hi' }] });
const auth = () => ({ authorization: `Bearer ${f.token}`, 'content-type': 'application/json' });

describe('gateway security', () => {
  it('binds 127.0.0.1 by default', () => {
    expect(f.gateway.host).toBe('127.0.0.1');
    expect(f.gateway.baseURL).toBe(`http://127.0.0.1:${f.gateway.port}/v1`);
  });

  it('refuses a foreign Host header (DNS rebinding), even with a good token', async () => {
    const answer = await send({ headers: { ...auth(), host: `evil.example:${f.gateway.port}` }, body: chatBody });
    expect(answer.status).toBe(421);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('unknown Host') } });
    expect(f.wire.requests).toHaveLength(0);
  });

  it('refuses browser origins and sends no CORS headers unless configured', async () => {
    const foreign = await send({ headers: { ...auth(), host: `127.0.0.1:${f.gateway.port}`, origin: 'http://evil.example' }, body: chatBody });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await send({ method: 'OPTIONS', headers: { host: `127.0.0.1:${f.gateway.port}`, origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const plain = await send({ headers: { ...auth(), host: `localhost:${f.gateway.port}` }, body: chatBody });
    expect(plain.status).toBe(200);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('needs a token on every route, and takes it as Bearer or x-api-key', async () => {
    for (const [method, path] of [['GET', '/v1/models'], ['POST', '/v1/chat/completions'], ['POST', '/v1/embeddings'], ['POST', '/v1/messages']] as const) {
      const answer = await send({ method, path, headers: { host: `127.0.0.1:${f.gateway.port}` }, body: method === 'POST' ? chatBody : undefined });
      expect(answer.status, path).toBe(401);
    }
    const anthropicShape = await send({ path: '/v1/messages', headers: { host: `127.0.0.1:${f.gateway.port}`, 'x-api-key': 'wrong' }, body: '{}' });
    expect(JSON.parse(anthropicShape.body)).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.any(String) } });
    const byKey = await send({ method: 'GET', path: '/v1/models', headers: { host: `127.0.0.1:${f.gateway.port}`, 'x-api-key': f.token } });
    expect(byKey.status).toBe(200);
  });

  it('answers an unknown route with 404 unknown_url, naming the routes there are', async () => {
    const answer = await send({ method: 'GET', path: '/v1/nothing', headers: { ...auth(), host: `127.0.0.1:${f.gateway.port}` } });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'unknown_url', message: expect.stringContaining('/v1/chat/completions') },
    });
  });

  it('answers a body over the limit with 413, which the SDK raises', async () => {
    const client = new OpenAI({ baseURL: f.gateway.baseURL, apiKey: f.token, maxRetries: 0 });
    const error = await client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((error as Error).message).toContain('gateway.maxBodyBytes');
  });

  it('limits requests in flight: over the limit is a 429 with Retry-After', async () => {
    f.wire.enqueue({ delayMs: 150 }, { delayMs: 150 });
    const slow = () => send({ headers: { ...auth(), host: `127.0.0.1:${f.gateway.port}` }, body: JSON.stringify({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'x' }] }) });
    const running = [slow(), slow()];
    await new Promise((r) => setTimeout(r, 50));
    const third = await send({ headers: { ...auth(), host: `127.0.0.1:${f.gateway.port}` }, body: chatBody });
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBe('1');
    expect(JSON.parse(third.body)).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    expect((await Promise.all(running)).map((a) => a.status)).toEqual([200, 200]);
  });

  it('takes tokens made and revoked in settings (the contract routes) at once', async () => {
    const created = await f.core.dispatcher.request('gateway.tokens.create', { name: 'settings-made' }, 'ipc');
    expect(created).toMatchObject({ ok: true, data: { name: 'settings-made', token: expect.stringMatching(/^sbk-/) } });
    const token = (created as { data: { token: string } }).data.token;
    const models = () => send({ method: 'GET', path: '/v1/models', headers: { host: `127.0.0.1:${f.gateway.port}`, authorization: `Bearer ${token}` } });
    expect((await models()).status).toBe(200);
    const listed = await f.core.dispatcher.request('gateway.tokens.list', {}, 'ipc');
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(await f.core.dispatcher.request('gateway.tokens.create', { name: 'settings-made' }, 'ipc')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await f.core.dispatcher.request('gateway.tokens.revoke', { name: 'settings-made' }, 'ipc')).toEqual({ ok: true, data: { revoked: true } });
    expect((await models()).status).toBe(401);
    expect(await f.core.dispatcher.request('gateway.tokens.revoke', { name: 'settings-made' }, 'ipc')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses everyone, saying why in the API shape, when the token file is broken', async () => {
    const path = join(f.dir, TOKENS_FILE);
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, '{ not json');
    try {
      const answer = await send({ path: '/v1/messages', headers: { host: `127.0.0.1:${f.gateway.port}`, 'x-api-key': f.token }, body: '{}' });
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('gateway-tokens.json is not valid JSON') } });
    } finally {
      writeFileSync(path, good);
    }
    expect((await send({ method: 'GET', path: '/v1/models', headers: { host: `127.0.0.1:${f.gateway.port}`, 'x-api-key': f.token } })).status).toBe(200);
  });

  it('never writes a token to the log', async () => {
    await send({ headers: { authorization: 'Bearer sbk-leaky-secret', host: `127.0.0.1:${f.gateway.port}` }, body: chatBody });
    f.wire.enqueue({ fault: { kind: 'status', status: 500 } }, { fault: { kind: 'status', status: 500 } }, { fault: { kind: 'status', status: 500 } });
    await send({ headers: { ...auth(), host: `127.0.0.1:${f.gateway.port}` }, body: JSON.stringify({ model: 'solo', messages: [{ role: 'user', content: 'x' }] }) });
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(line).not.toContain(f.token);
      expect(line).not.toContain('sbk-leaky-secret');
    }
  });
});
