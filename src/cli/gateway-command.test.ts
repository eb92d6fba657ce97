import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIWire } from '../../test/wire/openai-wire';
import type { WireServer } from '../../test/wire/scenario';
import { runServe } from '../server/serve';
import { runCli } from './run-cli';
import { memoryIo } from './testing/memory-io';

/** `switchboard gateway tokens …` in-process, and `serve --gateway` answering with a token made by the CLI. */
let dir: string;
let wire: WireServer;

beforeAll(async () => {
  wire = await startOpenAIWire();
  dir = mkdtempSync(join(tmpdir(), 'sb-cli-gateway-'));
  writeFileSync(join(dir, 'switchboard.yaml'), `providers:\n  wire: { type: openai, baseURL: "${wire.baseURL}", apiKey: sk-wire-0000111122223333 }\ngroups:\n  fast:\n    deployments: [{ provider: wire, model: gpt-4o-mini }]\n`);
});
afterAll(async () => {
  await wire?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const io = memoryIo();
  const code = await runCli([...args, '--data-dir', dir], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('switchboard gateway tokens', () => {
  it('creates (secret on stdout, once), lists (no secrets) and revokes', async () => {
    const created = await cli('gateway', 'tokens', 'create', 'editor');
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^sbk-/);
    expect(created.err).toContain('not shown again');

    const listed = await cli('gateway', 'tokens', 'list', '--json');
    const infos = JSON.parse(listed.out) as Array<Record<string, unknown>>;
    expect(infos).toEqual([{ name: 'editor', hint: `sbk-…${token.slice(-4)}`, createdAt: expect.any(Number) }]);
    expect(listed.out).not.toContain(token);

    expect((await cli('gateway', 'tokens', 'create', 'editor')).err).toContain('already exists');
    expect((await cli('gateway', 'tokens', 'create', 'bad name')).code).toBe(2);
    expect((await cli('gateway', 'tokens', 'revoke', 'editor')).out).toBe('revoked "editor"\n');
    const again = await cli('gateway', 'tokens', 'revoke', 'editor');
    expect(again.code).toBe(1);
    expect(again.err).toContain('no gateway token named "editor"');
  });
});

describe('serve --gateway', () => {
  it('checks the gateway flags, naming the one at fault', async () => {
    const bad = await cli('serve', '--gateway', '--gateway-port', '99999');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--gateway-port: expected at most 65535');
  });

  it('serves the gateway beside the UI, with the CLI token, and warns about a non-loopback bind', async () => {
    const token = (await cli('gateway', 'tokens', 'create', 'script')).out.trim();
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const stderr: string[] = [];
    const stdout: string[] = [];
    const serving = runServe({ dataDir: dir, port: 0, rendererDir, gateway: { enabled: true, port: 0, host: '0.0.0.0' }, stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), until });
    try {
      await expect.poll(() => stdout.length, { timeout: 20_000 }).toBe(1);
      expect(stderr.join('\n')).toContain('WARNING: the gateway is bound to 0.0.0.0');
      const line = stderr.find((l) => l.startsWith('Switchboard gateway on ')) ?? '';
      const baseURL = /on (http:\/\/\S+\/v1)/.exec(line)?.[1] ?? '';
      const client = new OpenAI({ baseURL, apiKey: token, maxRetries: 0 });
      const answer = await client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] });
      expect(answer.choices[0]?.message.content).toBe('Hello from the wire.');
    } finally {
      stop();
      await serving;
    }
  }, 30_000);
});
