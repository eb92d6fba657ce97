import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeHub, startFakeHub, testModelRepos } from '../../test/hub/fake-hub';
import { closedPort } from '../../test/net/closed-port';
import { downloadJobSchema, hubRepoSchema } from '../shared/contract';

/**
 * `switchboard models search|download|downloads|delete`, spawned as a user runs them, against the
 * fake hub (HF_ENDPOINT). The kill -9 case kills the downloading process mid-file and runs the
 * same command again: it must continue from the partial bytes and finish with the right sha256.
 */
const BIN = fileURLToPath(new URL('../../bin/switchboard.mjs', import.meta.url));
const REPO = 'switchboard-test/small-GGUF';
const FILE = 'small-F16.gguf';

let root: string;
let hub: FakeHub;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sb-cli-downloads-'));
  hub = await startFakeHub({ repos: await testModelRepos(join(root, 'hub')) });
});

afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: root,
    env: { ...process.env, SWITCHBOARD_DATA_DIR: '', HF_ENDPOINT: hub.url, HF_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finish(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
const size = async (path: string) => (await stat(path).catch(() => undefined))?.size ?? 0;

// Each spawn pays tsx startup and opening the core: seconds on a loaded 2-core machine.
describe('switchboard models (spawned, against the fake hub)', { timeout: 180_000 }, () => {
  it('searches the hub and prints each GGUF file with size, quantization and fit', async () => {
    const dataDir = join(root, 'search');
    const table = await finish(start(['models', 'search', 'tiny', '--data-dir', dataDir]));
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^REPO\s+FILE\s+SIZE\s+QUANT\s+FIT/);
    expect(table.stdout).toMatch(/switchboard-test\/tiny-GGUF\s+tiny-Q8_0\.gguf\s+[\d.]+ (KB|MB)\s+Q8_0\s+cpu/);
    const json = await finish(start(['models', 'search', 'small', '--json', '--data-dir', dataDir]));
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { repos: unknown[] };
    expect(parsed.repos.map((r) => hubRepoSchema.parse(r).id)).toEqual([REPO]);
  });

  it('resumes after kill -9 mid-file: the partial bytes are kept, fetched once, and the sha256 matches', async () => {
    const dataDir = join(root, 'kill');
    const dest = join(dataDir, 'models', 'switchboard-test', 'small-GGUF', FILE);
    const part = join(dataDir, 'models', 'switchboard-test', 'small-GGUF', `.${FILE}.part`);
    const total = (await stat(join(root, 'hub', 'small.gguf'))).size;
    hub.setBytesPerSecond(8 * 1024 * 1024);
    const servedBefore = hub.servedBytes;

    const first = start(['models', 'download', REPO, FILE, '--data-dir', dataDir]);
    const firstDone = finish(first);
    const deadline = Date.now() + 60_000;
    while ((await size(part)) < total / 3) {
      if (Date.now() > deadline) throw new Error(`no progress: ${(await firstDone.catch(() => undefined))?.stderr ?? ''}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.kill('SIGKILL');
    expect((await firstDone).signal).toBe('SIGKILL');
    const kept = await size(part);
    expect(kept).toBeGreaterThan(total / 3);
    expect(kept).toBeLessThan(total);

    hub.setBytesPerSecond(undefined);
    const requestsBefore = hub.requests.length;
    const second = await finish(start(['models', 'download', REPO, FILE, '--json', '--data-dir', dataDir]));
    expect(second.code, second.stderr).toBe(0);
    const job = downloadJobSchema.parse(JSON.parse(second.stdout));
    expect(job).toMatchObject({ state: 'completed', destPath: dest, bytes: total });
    expect(await sha256(dest)).toBe(hub.sha256Of(REPO, FILE));
    expect(await size(part)).toBe(0);
    const resumed = hub.requests.slice(requestsBefore).filter((r) => r.path.startsWith('/cdn/') && r.method === 'GET');
    expect(resumed.map((r) => r.range)).toEqual([`bytes=${kept}-`]);
    // What the kill cost: bytes sent twice (in sockets and buffers when it died), well under 8 MiB.
    const refetched = hub.servedBytes - servedBefore - total;
    expect(refetched).toBeLessThanOrEqual(8 * 1024 * 1024);

    const listed = await finish(start(['models', 'downloads', '--data-dir', dataDir]));
    expect(listed.stdout).toMatch(new RegExp(`${FILE.replace('.', '\\.')}\\s+completed\\s+100%`));
    const deleted = await finish(start(['models', 'delete', 'local/small-F16', '--data-dir', dataDir]));
    expect(deleted).toMatchObject({ code: 0, stdout: `deleted ${dest}\n` });
  });

  it('refuses a file name that would escape the models folder, and wrong usage', async () => {
    const dataDir = join(root, 'bad');
    const escape = await finish(start(['models', 'download', 'switchboard-test/tiny-GGUF', '../../../x.gguf', '--data-dir', dataDir]));
    expect(escape.code).toBe(1);
    expect(escape.stderr).toMatch(/cannot be saved: it has a "\.\." path segment/);
    const usage = await finish(start(['models', 'download', '--data-dir', dataDir]));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/give a REPO and a FILE/);
  });

  it('--ollama with no Ollama listening fails in seconds with one message: where it tried and how to fix it', async () => {
    const dataDir = join(root, 'no-ollama');
    const port = await closedPort();
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'switchboard.yaml'), `providers:\n  home-ollama:\n    type: ollama\n    baseURL: http://127.0.0.1:${port}\n`);
    const startedAt = Date.now();
    const pulled = await finish(start(['models', 'download', '--ollama', 'llama3', '--data-dir', dataDir]));
    const seconds = (Date.now() - startedAt) / 1000;
    expect(pulled.code).toBe(1);
    expect(pulled.stderr).not.toMatch(/stalled|Retrying/);
    const said = pulled.stderr.split('\n').filter((line) => line.includes('connection refused'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`http://127.0.0.1:${port}`);
    expect(said[0]).toContain('`ollama serve`');
    expect(said[0]).toContain('providers.home-ollama.baseURL');
    // Process start and the core take a few seconds here; the backoff took 15 s more.
    expect(seconds).toBeLessThan(12);
  });
});
