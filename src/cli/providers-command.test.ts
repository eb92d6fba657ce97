import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PresetsWire, startPresetsWire } from '../../test/wire/openai-presets-wire';
import { startOpenAIWire } from '../../test/wire/openai-wire';
import type { WireServer } from '../../test/wire/scenario';
import { providerTestResultSchema, providersListSchema } from '../shared/contract';
import { runCli } from './run-cli';
import { memoryIo } from './testing/memory-io';

/** `switchboard providers list|test` against a data dir whose switchboard.yaml points at wire servers. */

const FAKE_KEY = 'sk-test-CLI-PROVIDERS-zzzz4242';
let dir: string;
let openai: WireServer;
let presets: PresetsWire;

beforeAll(async () => {
  [openai, presets] = await Promise.all([startOpenAIWire(), startPresetsWire()]);
  dir = mkdtempSync(join(tmpdir(), 'sb-cli-providers-'));
  writeFileSync(
    join(dir, 'switchboard.yaml'),
    [
      'providers:',
      `  wire: { type: openai, baseURL: "${openai.baseURL}", apiKey: \${SB_CLI_TEST_KEY} }`,
      `  lab: { type: openai-compatible, baseURL: "${presets.origin}/v1" }`,
      `  router: { type: openrouter, baseURL: "${presets.origin}/api/v1", apiKey: sk-or-cli-0000111122223333 }`,
    ].join('\n'),
  );
  process.env.SB_CLI_TEST_KEY = FAKE_KEY;
});
afterAll(async () => {
  delete process.env.SB_CLI_TEST_KEY;
  await Promise.all([openai?.close(), presets?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const run = async (...args: string[]) => {
  const io = memoryIo();
  const code = await runCli([...args, '--data-dir', dir], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
};

describe('switchboard providers', () => {
  it('list --json: names, types, base URLs and masked keys, never the key', async () => {
    const res = await run('providers', 'list', '--json');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const data = providersListSchema.parse(JSON.parse(res.stdout));
    expect(data.providers.map((p) => [p.name, p.type, p.keyHint])).toEqual([
      ['local', 'local', null],
      ['wire', 'openai', 'sk-…4242'],
      ['lab', 'openai-compatible', null],
      ['router', 'openrouter', 'sk-…3333'],
    ]);
    expect(data.config.errors).toBeNull();
    expect(res.stdout).not.toContain(FAKE_KEY);
  });

  it('list prints a table', async () => {
    const res = await run('providers', 'list');
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+BASE URL\s+KEY\s+STATUS$/);
    expect(res.stdout).toContain(`wire    openai             ${openai.baseURL}`);
    expect(res.stdout).toContain('sk-…4242 (config)');
  });

  it('test --json: ok with latency for each provider', async () => {
    const res = await run('providers', 'test', '--json');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const results = providerTestResultSchema.array().parse(JSON.parse(res.stdout));
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ['local', true],
      ['wire', true],
      ['lab', true],
      ['router', true],
    ]);
    expect(results.find((r) => r.name === 'router')?.detail).toBe('$17.88 of $25.00 credits left');
  });

  it('test NAME reports the error kind and exits 1', async () => {
    openai.enqueue({ fault: { kind: 'status', status: 429, retryAfter: 2 } });
    const res = await run('providers', 'test', 'wire');
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^wire\s+openai\s+rate_limit\s+\d+ ms\s+wire answered HTTP 429/m);
    expect(res.stderr).toBe('switchboard: 1 of 1 provider failed the test\n');
  });

  it('test with an unknown name says which exist', async () => {
    const res = await run('providers', 'test', 'nope');
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('switchboard: no provider "nope"; configured providers: local, wire, lab, router. See the names with: switchboard providers list\n');
  });

  it('list shows the config file\'s problems with their path (spawned, as a user runs it)', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'sb-cli-providers-bad-'));
    try {
      writeFileSync(join(bad, 'switchboard.yaml'), 'providers:\n  openai: { type: openai, baseURL: not-a-url }\n');
      const bin = fileURLToPath(new URL('../../bin/switchboard.mjs', import.meta.url));
      const child = spawn(process.execPath, [bin, 'providers', 'list', '--data-dir', bad], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(stdout).toContain('has problems, so this command runs without it (only the built-in local engine); a running app or serve keeps its last good config. Fix:\n  providers.openai.baseURL: expected a URL (http:// or https://)\n');
      expect(stderr).toContain('providers.openai.baseURL: expected a URL');
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
