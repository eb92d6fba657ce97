import { request } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './start-server';
import { createTestDispatcher } from './testing/test-dispatcher';
import { UpgradeRefused, connect } from './testing/ws-test-client';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch: fetch normalizes `..` away and won't let us forge Host. */
function get(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'outside-the-root';
let base: string;
let server: RunningServer;
const test = createTestDispatcher();

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'sb-server-'));
  const root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><script type="module" src="/assets/index-AbCd1234.js"></script>');
  await writeFile(join(root, 'assets', 'index-AbCd1234.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'style-Zx_9-8yQ.css'), 'body{}');
  await writeFile(join(root, 'favicon.svg'), '<svg/>');
  await writeFile(join(root, '.env'), SECRET);
  await writeFile(join(base, 'secret.txt'), SECRET);
  await symlink(join(base, 'secret.txt'), join(root, 'link.txt'));
  server = await startServer({ dispatcher: test.dispatcher, rendererDir: root, port: 0 });
});

afterAll(async () => {
  await server.close();
  await rm(base, { recursive: true, force: true });
});

describe('static files', () => {
  it('serves index.html for / with security headers', async () => {
    const res = await get(server.port, '/?token=abc');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<!doctype html>');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves hashed assets with a long cache and the right types', async () => {
    const js = await get(server.port, '/assets/index-AbCd1234.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await get(server.port, '/assets/style-Zx_9-8yQ.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await get(server.port, '/favicon.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(server.port, '/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const post = await get(server.port, '/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it.each(['/missing.js', '/assets', '/assets/', '/.env', '/index.html/'])('404s %s', async (path) => {
    const res = await get(server.port, path);
    expect(res.status).toBe(404);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00/secret.txt',
    '/%E0%A4%A',
    '/link.txt',
  ])('refuses traversal %s', async (path) => {
    const res = await get(server.port, path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(SECRET);
  });

  it('refuses a foreign Host (DNS rebinding)', async () => {
    const res = await get(server.port, '/', { headers: { Host: `evil.example:${server.port}` } });
    expect(res.status).toBe(421);
    expect(res.body).not.toContain('<!doctype html>');
  });
});

describe('WebSocket upgrade', () => {
  const wsBase = () => `ws://127.0.0.1:${server.port}/ws`;

  it('opens with the token and the server URLs carry it', async () => {
    expect(server.pageUrl).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    const client = await connect(server.wsUrl);
    client.send({ t: 'req', id: '1', route: 'echo', input: { text: 'hi' } });
    expect(await client.next()).toEqual({ t: 'res', id: '1', result: { ok: true, data: { text: 'hi' } } });
    client.close();
  });

  it.each([
    ['no token', ''],
    ['an empty token', '?token='],
    ['a wrong token', '?token=not-the-token-at-all-000000000000000000000'],
  ])('refuses %s with 401', async (_name, query) => {
    const before = test.origins.length;
    await expect(connect(`${wsBase()}${query}`)).rejects.toEqual(new UpgradeRefused(401));
    expect(test.origins.length).toBe(before);
  });

  it('refuses a token with one character changed', async () => {
    const last = server.token.endsWith('A') ? 'B' : 'A';
    await expect(connect(`${wsBase()}?token=${server.token.slice(0, -1)}${last}`)).rejects.toEqual(new UpgradeRefused(401));
  });

  it('refuses a foreign Host and a foreign Origin with 403, even with the token', async () => {
    await expect(connect(server.wsUrl, { Host: `evil.example:${server.port}` })).rejects.toEqual(new UpgradeRefused(403));
    await expect(connect(server.wsUrl, { Origin: `http://evil.example:${server.port}` })).rejects.toEqual(
      new UpgradeRefused(403),
    );
    await expect(connect(server.wsUrl, { Origin: 'http://127.0.0.1:1' })).rejects.toEqual(new UpgradeRefused(403));
  });

  it('accepts its own origin under a loopback name', async () => {
    const client = await connect(server.wsUrl.replace('127.0.0.1', 'localhost'), {
      Origin: `http://localhost:${server.port}`,
    });
    client.close();
  });

  it('refuses upgrades on other paths', async () => {
    await expect(connect(`ws://127.0.0.1:${server.port}/other?token=${server.token}`)).rejects.toEqual(
      new UpgradeRefused(404),
    );
  });
});

describe('close()', () => {
  it('ends open sockets and aborts their streams', async () => {
    const own = await startServer({ dispatcher: test.dispatcher, rendererDir: base, port: 0 });
    const client = await connect(own.wsUrl);
    client.send({ t: 'stream', id: 's', route: 'hang', input: { tag: 'server-close' } });
    expect(await client.next()).toEqual({ t: 'chunk', id: 's', data: { i: 0 } });
    await own.close();
    await test.aborted('server-close');
    await client.closed;
  });
});
