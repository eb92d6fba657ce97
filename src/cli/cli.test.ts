import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connect } from '../server/testing/ws-test-client';
import { localModelEntrySchema, usageSummarySchema } from '../shared/domain';

/**
 * The real CLI as a user runs it: `node bin/switchboard.mjs …` from a folder outside the
 * repo, against a temp data dir holding a real tiny model. Each spawn pays tsx startup
 * (and, for core commands, opening the store and the engine), so the cases are few.
 */
const BIN = fileURLToPath(new URL('../../bin/switchboard.mjs', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;
let cwd: string;

function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, SWITCHBOARD_DATA_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finish(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const run = (...args: string[]) => finish(start([...args, '--data-dir', dataDir]));

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sb-cli-data-'));
  cwd = await mkdtemp(join(tmpdir(), 'sb-cli-cwd-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(cwd, { recursive: true, force: true });
});

describe('switchboard CLI (spawned)', () => {
  it('make-test-model writes a model and says where', async () => {
    const out = join(dataDir, 'models', 'tiny.gguf');
    const res = await finish(start(['make-test-model', out, '--seed', '7']));
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^Wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.+ KB, .+ parameters\\)\\n$`));
  });

  it('chat streams text from the local model and exits 0', async () => {
    const res = await run('chat', '--model', 'local/tiny', '--max-tokens', '12', 'hi');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.length).toBeGreaterThan(1);
    expect(res.stdout.endsWith('\n')).toBe(true);
  });

  it('usage --json counts that call', async () => {
    const res = await run('usage', '--json');
    expect(res.code).toBe(0);
    const summary = usageSummarySchema.parse(JSON.parse(res.stdout));
    expect(summary.totals.calls).toBe(1);
    expect(summary.byOutcome.success).toBe(1);
    expect(summary.totals.outputTokens).toBeGreaterThan(0);
  });

  it('models list --json lists the model', async () => {
    const res = await run('models', 'list', '--json');
    expect(res.code).toBe(0);
    const entries = z.array(localModelEntrySchema).parse(JSON.parse(res.stdout));
    expect(entries).toEqual([
      expect.objectContaining({ id: 'local/tiny', architecture: 'llama', contextLength: 2048, error: null }),
    ]);
  });

  it('an unknown model exits 1 and says what to do', async () => {
    const res = await run('chat', '--model', 'local/nope', 'hi');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('unknown model "local/nope"');
    expect(res.stderr).toContain('switchboard models list');
  });

  it('a bad option exits 2 and names it', async () => {
    const res = await run('chat', '--model', 'local/tiny', '--temperature', 'hot', 'hi');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--temperature: expected a number from 0 to 2');
  });

  it('serve prints one line, answers over HTTP and WebSocket, and exits 0 on SIGTERM', async () => {
    const rendererDir = join(cwd, 'renderer');
    await mkdir(rendererDir, { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>sb</title>');
    const child = start(['serve', '--port', '0', '--data-dir', dataDir], { SWITCHBOARD_RENDERER_DIR: rendererDir });
    const done = finish(child);
    const line = await new Promise<string>((resolve) => {
      let seen = '';
      child.stdout?.on('data', (d: string) => {
        seen += d;
        if (seen.includes('\n')) resolve(seen);
      });
    });
    const match = /^Switchboard listening on (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))\n$/.exec(line);
    expect(match).not.toBeNull();
    const [, , port, token] = match as RegExpExecArray;

    const page = await new Promise<string>((resolve, reject) =>
      request({ host: '127.0.0.1', port: Number(port), path: '/' }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end(),
    );
    expect(page).toContain('<title>sb</title>');

    const client = await connect(`ws://127.0.0.1:${port}/ws?token=${token}`);
    client.send({ t: 'req', id: '1', route: 'models.local.list' });
    expect(await client.next()).toMatchObject({ t: 'res', id: '1', result: { ok: true, data: [{ id: 'local/tiny' }] } });
    client.close();

    child.kill('SIGTERM');
    const res = await done;
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(line);
  });
});
