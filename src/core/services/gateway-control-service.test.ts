import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { holdPort } from '../../../test/net/hold-port';
import { type GatewayStatus, HOST_EVENTS, type Result } from '../../shared/contract';
import { type Core, createCore } from '../app';

/**
 * The gateway switch through the real core and its contract routes: `gateway.enable` writes
 * switchboard.yaml (comments kept) and starts or stops a real gateway that the `openai` client
 * calls with a token made by `gateway.tokens.create`; a hand edit of the file is followed; a
 * taken port is reported as `port-in-use`; a host flag holds until the file says otherwise.
 */
const FILE = `# hand-written: keep this comment
providers:
  try: { type: mock, response: "hi from the mock" }
groups:
  fast:
    deployments: [{ provider: try, model: mock-1 }]
gateway:
  port: 0   # any free port
`;

let dir: string;
let core: Core;
const events: GatewayStatus[] = [];
const logs: string[] = [];

async function call<T>(route: string, input: unknown = {}): Promise<Result<T>> {
  return (await core.dispatcher.request(route, input, 'test')) as Result<T>;
}
async function request<T>(route: string, input: unknown = {}): Promise<T> {
  const result = await call<T>(route, input);
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  return result.data;
}
const status = () => request<GatewayStatus>('gateway.status');
const yaml = () => readFileSync(join(dir, 'switchboard.yaml'), 'utf8');
const ask = (baseURL: string, apiKey: string) =>
  new OpenAI({ baseURL, apiKey, maxRetries: 0 }).chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-gateway-control-'));
  writeFileSync(join(dir, 'switchboard.yaml'), FILE);
  core = await createCore({ dataDir: dir, engineOptions: { threads: 1 }, env: { PATH: '/usr/bin' }, log: (level, message) => logs.push(`${level}: ${message}`) });
  core.onEvent((name, data) => {
    if (name === HOST_EVENTS.gatewayChanged) events.push(data as GatewayStatus);
  });
});
afterAll(async () => {
  await core?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('gateway.status and gateway.enable', () => {
  it('says a core no host runs has no gateway, then hosted and off by default', async () => {
    expect(await status()).toMatchObject({ hosted: false, enabled: false, state: 'off', baseURL: null });
    expect(await core.gateway.host()).toMatchObject({ hosted: true, enabled: false, state: 'off', host: '127.0.0.1', port: 0, message: null, warning: null });
  });

  it('enables it in the file, serves a token made in settings, refuses it once revoked, and turns off', async () => {
    const { token } = await request<{ token: string }>('gateway.tokens.create', { name: 'editor' });
    const on = await request<GatewayStatus>('gateway.enable', { enabled: true });
    expect(on).toMatchObject({ hosted: true, enabled: true, state: 'running', message: null });
    expect(on.port).toBeGreaterThan(0);
    expect(on.baseURL).toBe(`http://127.0.0.1:${on.port}/v1`);
    expect(yaml()).toContain('# hand-written: keep this comment');
    expect(yaml()).toMatch(/gateway:\n {2}port: 0 +# any free port\n {2}enabled: true/);
    expect(events.map((e) => e.state)).toEqual(['starting', 'running']);

    const answer = await ask(on.baseURL!, token);
    expect(answer.choices[0]?.message.content).toBe('hi from the mock');

    await request('gateway.tokens.revoke', { name: 'editor' });
    await expect(ask(on.baseURL!, token)).rejects.toMatchObject({ status: 401 });

    const off = await request<GatewayStatus>('gateway.enable', { enabled: false });
    expect(off).toMatchObject({ enabled: false, state: 'off', baseURL: null });
    expect(yaml()).toContain('enabled: false');
    await expect(fetch(`${on.baseURL!}/models`)).rejects.toThrow();
    expect(logs.join('\n')).not.toContain(token);
  });

  it('follows a hand edit of the file, and reports a port another program holds', async () => {
    const { port, release } = await holdPort();
    try {
      events.length = 0;
      writeFileSync(join(dir, 'switchboard.yaml'), FILE.replace('port: 0   # any free port', `port: ${port}\n  enabled: true`));
      await expect.poll(async () => (await status()).state, { timeout: 10_000 }).toBe('port-in-use');
      const busy = await status();
      expect(busy).toMatchObject({ enabled: true, port, baseURL: null });
      expect(busy.message).toContain(`port ${port} is in use`);
      expect(busy.message).toContain('gateway.port');
      expect(events.at(-1)?.state).toBe('port-in-use');

      // a free port in the file: it starts there without being asked again
      writeFileSync(join(dir, 'switchboard.yaml'), FILE.replace('port: 0   # any free port', 'port: 0\n  enabled: true'));
      await expect.poll(async () => (await status()).state, { timeout: 10_000 }).toBe('running');
    } finally {
      await release();
    }
  });

  it('restarts on another bind, warns when it is not loopback, and refuses to write a broken file', async () => {
    const before = await status();
    writeFileSync(join(dir, 'switchboard.yaml'), FILE.replace('port: 0   # any free port', 'port: 0\n  enabled: true\n  host: 0.0.0.0'));
    await expect.poll(async () => (await status()).host, { timeout: 10_000 }).toBe('0.0.0.0');
    const exposed = await status();
    expect(exposed.state).toBe('running');
    expect(exposed.warning).toContain('other machines can reach it');
    expect(exposed.baseURL).not.toBe(before.baseURL);

    const broken = 'gateway: { enabled: [\n';
    writeFileSync(join(dir, 'switchboard.yaml'), broken);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const refused = await call<GatewayStatus>('gateway.enable', { enabled: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('VALIDATION_FAILED');
    expect(yaml()).toBe(broken);
    // the last good config stays in force, and so does the gateway
    expect((await status()).state).toBe('running');
  });
});

describe('a host flag', () => {
  let second: Core | undefined;
  let secondDir: string | undefined;
  afterEach(async () => {
    await second?.dispose();
    if (secondDir !== undefined) rmSync(secondDir, { recursive: true, force: true });
  });

  it('(serve --gateway) runs it over a file that does not ask for it, until the file is edited; dispose stops it', async () => {
    secondDir = mkdtempSync(join(tmpdir(), 'sb-gateway-flag-'));
    writeFileSync(join(secondDir, 'switchboard.yaml'), 'gateway: { enabled: false }\n');
    second = await createCore({ dataDir: secondDir, engineOptions: { threads: 1 }, env: { PATH: '/usr/bin' } });
    const on = await second.gateway.host({ enabled: true, port: 0 });
    expect(on).toMatchObject({ enabled: true, state: 'running' });
    expect(second.gateway.running()).toBe(true);

    writeFileSync(join(secondDir, 'switchboard.yaml'), 'gateway: { enabled: false, maxConcurrency: 4 }\n');
    await expect.poll(() => second!.gateway.status().state, { timeout: 10_000 }).toBe('off');

    // the tray's switch is the same one: it writes the file
    await second.gateway.setRunning(true);
    expect(second.gateway.status().state).toBe('running');
    expect(readFileSync(join(secondDir, 'switchboard.yaml'), 'utf8')).toContain('enabled: true');
    const url = second.gateway.status().baseURL!;
    await second.dispose();
    second = undefined;
    await expect(fetch(`${url}/models`)).rejects.toThrow();
  });
});
