import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keepAliveFetch } from './keep-alive-fetch';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let base: string;
const routes = new Map<string, Handler>();
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const handler = routes.get((req.url ?? '').split('?')[0] ?? '');
      if (handler) handler(req, body, res);
      else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no route"}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  routes.set('/json', (_req, body, res) => {
    res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
    res.end(JSON.stringify({ echo: body }));
  });
  routes.set('/sse', (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
    setTimeout(() => res.end('data: two\n\n'), 20);
  });
  routes.set('/cut', (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: partial\n\n');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  routes.set('/slow', (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: first\n\n');
    // Never ends by itself: the client aborts.
  });
  routes.set('/hang', () => undefined);
  routes.set('/moved', (_req, _body, res) => {
    res.writeHead(307, { location: '/json' }).end();
  });
  routes.set('/empty', (_req, _body, res) => {
    res.writeHead(204).end();
  });
  routes.set('/big', (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(Buffer.alloc(4 * 1024 * 1024, 7));
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('keepAliveFetch', () => {
  const fetch = keepAliveFetch();

  it('sends the method, headers and string body, and answers with status, headers and body', async () => {
    const headers = new Headers({ 'content-type': 'application/json', authorization: 'Bearer sk-test' });
    const res = await fetch(`${base}/json?x=1`, { method: 'post', headers, body: '{"a":1}' });
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(await res.json()).toEqual({ echo: '{"a":1}' });
    const request = seen.at(-1);
    expect(request).toMatchObject({ method: 'POST', url: '/json?x=1', body: '{"a":1}' });
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.headers['content-length']).toBe('7');
  });

  it('streams the body as it arrives', async () => {
    const res = await fetch(`${base}/sse`, { method: 'POST', body: '{}' });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: one\n\n');
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toBe('data: two\n\n');
  });

  it('reads a large body whole (backpressure pauses and resumes the socket)', async () => {
    const res = await fetch(`${base}/big`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBe(4 * 1024 * 1024);
    expect(bytes.every((b) => b === 7)).toBe(true);
  });

  it('gives a null body for a 204', async () => {
    const res = await fetch(`${base}/empty`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('rejects like fetch when nothing answers: TypeError("fetch failed") with the cause', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await fetch(`http://127.0.0.1:${port}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('errors the body with TypeError("terminated") when the connection is cut mid-body', async () => {
    const res = await fetch(`${base}/cut`, { method: 'POST', body: '{}' });
    const error = await res.text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('terminated');
  });

  it('rejects with the signal reason when aborted before the answer, and when already aborted', async () => {
    const controller = new AbortController();
    const pending = fetch(`${base}/hang`, { method: 'POST', body: '{}', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');

    const aborted = AbortSignal.abort();
    const early = await fetch(`${base}/json`, { signal: aborted }).catch((e: unknown) => e);
    expect((early as Error).name).toBe('AbortError');
  });

  it('errors the body with the abort reason when aborted mid-body, and the next call still works', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/slow`, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    const error = await reader.read().catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    const next = await fetch(`${base}/json`, { method: 'POST', body: 'x' });
    expect(await next.json()).toEqual({ echo: 'x' });
  });

  it('cancelling the body stops the request', async () => {
    const res = await fetch(`${base}/slow`, { method: 'POST', body: '{}' });
    await (res.body as ReadableStream<Uint8Array>).cancel();
    const next = await fetch(`${base}/json`, { method: 'POST', body: 'y' });
    expect(await next.json()).toEqual({ echo: 'y' });
  });

  it('hands redirects, form data and unknown init keys to the fallback (fetch follows the redirect)', async () => {
    const fallback = vi.fn((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
    const withFallback = keepAliveFetch({ fallback });
    const redirected = await withFallback(`${base}/moved`, { method: 'POST', body: 'z' });
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(redirected.status).toBe(201);
    expect(await redirected.json()).toEqual({ echo: 'z' });

    const form = new FormData();
    form.set('a', 'b');
    await withFallback(`${base}/json`, { method: 'POST', body: form });
    await withFallback(`${base}/json`, { method: 'POST', body: 'q', redirect: 'manual' });
    expect(fallback).toHaveBeenCalledTimes(3);
  });
});
