import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DownloadJob } from '../../shared/contract';
import { ProviderError } from '../../shared/llm';
import { type FakeHub, startFakeHub } from '../../../test/hub/fake-hub';
import { closedPort } from '../../../test/net/closed-port';
import { type Store, openStore } from '../store';
import { type DownloadManager, type DownloadManagerOptions, createDownloadManager } from './download-manager';
import { DownloadFailure } from './download-errors';
import { UnsafePathError, partPathOf } from './safe-destination';

const REPO = 'acme/blob-GGUF';
/** Deterministic bytes that start like a GGUF file; content does not matter to the downloader. */
function blob(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i += 4) {
    x = (x * 1664525 + 1013904223) >>> 0;
    out.writeUInt32LE(x, Math.min(i, size - 4));
  }
  out.write('GGUF', 0, 'ascii');
  return out;
}

const A = blob(3 * 1024 * 1024 + 123, 1);
const B = blob(1024 * 1024, 2);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let dir: string;
let hub: FakeHub;
let store: Store;
let managers: DownloadManager[];
let events: DownloadJob[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-downloads-'));
  hub = await startFakeHub({
    repos: [
      {
        id: REPO,
        files: [
          { path: 'a-Q4_K_M.gguf', source: A },
          { path: 'b-Q8_0.gguf', source: B },
          { path: 'bad-Q4_0.gguf', source: B, sha256: sha(A) },
          { path: '../escape.gguf', source: B },
          { path: 'sub/../../escape.gguf', source: B },
        ],
      },
    ],
  });
  store = openStore({ path: join(dir, 'db.sqlite') });
  managers = [];
  events = [];
});

afterEach(async () => {
  for (const m of managers) await m.close();
  store.close();
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

function manager(overrides: Partial<DownloadManagerOptions> = {}): DownloadManager {
  const m = createDownloadManager({
    repository: store.downloads,
    modelsDir: join(dir, 'models'),
    resolveHubFile: async (repo, file) => ({
      url: `${hub.url}/${repo}/resolve/main/${file.split('/').map(encodeURIComponent).join('/')}`,
      size: null,
      sha256: hub.sha256Of(repo, file) ?? null,
    }),
    freeSpace: async () => 100 * 1024 ** 3,
    stallMs: 2_000,
    retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
    progressIntervalMs: 0,
    onChange: (job) => events.push(job),
    ...overrides,
  });
  managers.push(m);
  return m;
}

const dest = (file: string) => join(dir, 'models', 'acme', 'blob-GGUF', file);
const fileRequests = () => hub.requests.filter((r) => r.path.startsWith('/cdn/') && r.method === 'GET');

describe('download manager', () => {
  it('downloads a hub file into the models folder, verified, with progress, speed and no partial file left', async () => {
    hub.setBytesPerSecond(6 * 1024 * 1024);
    const m = manager();
    const started = await m.start({ kind: 'hub', repo: REPO, file: 'a-Q4_K_M.gguf' });
    expect(started).toMatchObject({ title: 'a-Q4_K_M.gguf', destPath: dest('a-Q4_K_M.gguf'), sha256: sha(A) });
    const done = await m.settled(started.id);
    expect(done).toMatchObject({ state: 'completed', bytes: A.length, total: A.length, error: null, attempts: 1 });
    expect(sha(await readFile(dest('a-Q4_K_M.gguf')))).toBe(sha(A));
    await expect(stat(partPathOf(dest('a-Q4_K_M.gguf')))).rejects.toThrow();
    // Progress came as events: growing bytes, a speed while running, and an ETA.
    const running = events.filter((e) => e.id === started.id && e.state === 'running');
    expect(running.length).toBeGreaterThan(3);
    expect(running.some((e) => e.speedBps !== null && e.speedBps > 0 && e.etaSeconds !== null)).toBe(true);
    const bytes = running.map((e) => e.bytes);
    expect(bytes).toEqual([...bytes].sort((x, y) => x - y));
    // The state is in SQLite.
    expect(store.downloads.get(started.id)).toMatchObject({ state: 'completed', bytes: A.length });
  });

  it('resumes with a Range request after the server cuts the connection, and the sha256 still matches', async () => {
    hub.fault({ kind: 'cut', afterBytes: 1_000_000 });
    const m = manager();
    const job = await m.settled((await m.start({ kind: 'hub', repo: REPO, file: 'a-Q4_K_M.gguf' })).id);
    expect(job).toMatchObject({ state: 'completed', attempts: 2 });
    const gets = fileRequests();
    expect(gets).toHaveLength(2);
    expect(gets[0]?.range).toBeNull();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(gets[1]?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(1_000_000);
    expect(sha(await readFile(dest('a-Q4_K_M.gguf')))).toBe(sha(A));
  });

  it('detects a stall (no bytes for the stall timeout), says so, and retries with backoff', async () => {
    hub.fault({ kind: 'stall', afterBytes: 200_000 });
    const m = manager({ stallMs: 300 });
    const job = await m.settled((await m.start({ kind: 'hub', repo: REPO, file: 'a-Q4_K_M.gguf' })).id);
    expect(job.state).toBe('completed');
    const stalled = events.find((e) => e.state === 'stalled');
    expect(stalled?.error?.message).toMatch(/stalled.*Retrying in/);
    expect(fileRequests()[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(sha(await readFile(dest('a-Q4_K_M.gguf')))).toBe(sha(A));
  });

  it('gives up after the retries when every attempt fails without progress', async () => {
    for (let i = 0; i < 4; i++) hub.fault({ kind: 'status', status: 503 });
    const m = manager();
    const job = await m.settled((await m.start({ kind: 'hub', repo: REPO, file: 'b-Q8_0.gguf' })).id);
    expect(job).toMatchObject({ state: 'failed', attempts: 4, error: { code: 'http' } });
    expect(job.error?.message).toMatch(/503/);
    expect(m.dismiss(job.id)).toBe(true);
    expect(m.list()).toEqual([]);
  });

  it('refuses a file whose sha256 does not match the hub oid, and does not keep it', async () => {
    const m = manager();
    const job = await m.settled((await m.start({ kind: 'hub', repo: REPO, file: 'bad-Q4_0.gguf' })).id);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'checksum' } });
    expect(job.error?.message).toMatch(/does not match the hub's sha256.*deleted/);
    await expect(stat(dest('bad-Q4_0.gguf'))).rejects.toThrow();
    await expect(stat(partPathOf(dest('bad-Q4_0.gguf')))).rejects.toThrow();
  });

  it('refuses up front when the disk cannot hold the file, naming the sizes', async () => {
    const m = manager({
      freeSpace: async () => 2 * 1024 * 1024,
      resolveHubFile: async (repo, file) => ({ url: `${hub.url}/${repo}/resolve/main/${file}`, size: A.length, sha256: sha(A) }),
    });
    const attempt = m.start({ kind: 'hub', repo: REPO, file: 'a-Q4_K_M.gguf' });
    await expect(attempt).rejects.toBeInstanceOf(DownloadFailure);
    await expect(attempt).rejects.toMatchObject({ code: 'disk_full', message: expect.stringMatching(/needs 3\.0 MiB.*2\.0 MiB is free/) });
    expect(m.list()).toEqual([]);
    expect(fileRequests()).toEqual([]);
  });

  it('refuses hub file names that would leave the models folder', async () => {
    const m = manager();
    for (const file of ['../escape.gguf', 'sub/../../escape.gguf', '/etc/escape.gguf', 'C:\\x.gguf', '.hidden.gguf', 'notes.txt']) {
      await expect(m.start({ kind: 'hub', repo: REPO, file })).rejects.toBeInstanceOf(UnsafePathError);
    }
    expect(m.list()).toEqual([]);
    expect(await readdir(dir)).not.toContain('escape.gguf');
    expect(fileRequests()).toEqual([]);
  });

  it('pauses keeping the partial bytes, resumes from them, and cancels deleting them', async () => {
    hub.setBytesPerSecond(1024 * 1024);
    const m = manager();
    const job = await m.start({ kind: 'hub', repo: REPO, file: 'a-Q4_K_M.gguf' });
    await waitFor(() => (m.get(job.id)?.bytes ?? 0) > 300_000);
    const paused = await m.pause(job.id);
    expect(paused.state).toBe('paused');
    const kept = (await stat(partPathOf(dest('a-Q4_K_M.gguf')))).size;
    expect(kept).toBeGreaterThan(300_000);

    hub.setBytesPerSecond(undefined);
    await m.resume(job.id);
    expect((await m.settled(job.id)).state).toBe('completed');
    expect(fileRequests()[1]?.range).toBe(`bytes=${kept}-`);
    expect(sha(await readFile(dest('a-Q4_K_M.gguf')))).toBe(sha(A));

    hub.setBytesPerSecond(512 * 1024);
    const other = await m.start({ kind: 'hub', repo: REPO, file: 'b-Q8_0.gguf' });
    await waitFor(() => (m.get(other.id)?.bytes ?? 0) > 100_000);
    const cancelled = await m.cancel(other.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', bytes: 0 });
    await expect(stat(partPathOf(dest('b-Q8_0.gguf')))).rejects.toThrow();
    await expect(stat(dest('b-Q8_0.gguf'))).rejects.toThrow();
    // A cancelled job can be retried from zero.
    hub.setBytesPerSecond(undefined);
    await m.retry(other.id);
    expect((await m.settled(other.id)).state).toBe('completed');
  });

  it('starts over when the server ignores Range, and still verifies', async () => {
    await writeFile(partPathOf(dest('b-Q8_0.gguf')), B.subarray(0, 1000)).catch(async () => {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, 'models', 'acme', 'blob-GGUF'), { recursive: true });
      await writeFile(partPathOf(dest('b-Q8_0.gguf')), B.subarray(0, 1000));
    });
    hub.setRanges(false);
    const m = manager();
    const job = await m.settled((await m.start({ kind: 'hub', repo: REPO, file: 'b-Q8_0.gguf' })).id);
    expect(job.state).toBe('completed');
    expect(fileRequests()[0]?.range).toBe('bytes=1000-');
    expect(sha(await readFile(dest('b-Q8_0.gguf')))).toBe(sha(B));
  });

  it('runs at most maxConcurrent jobs at once; the rest wait queued', async () => {
    hub.setBytesPerSecond(4 * 1024 * 1024);
    const m = manager({ maxConcurrent: 1 });
    const a = await m.start({ kind: 'hub', repo: REPO, file: 'a-Q4_K_M.gguf' });
    const b = await m.start({ kind: 'hub', repo: REPO, file: 'b-Q8_0.gguf' });
    expect(m.get(b.id)?.state).toBe('queued');
    let most = 0;
    const check = setInterval(() => (most = Math.max(most, m.list().filter((j) => j.state === 'running').length)), 5);
    await Promise.all([m.settled(a.id), m.settled(b.id)]);
    clearInterval(check);
    expect(most).toBe(1);
    expect(m.list().map((j) => j.state)).toEqual(['completed', 'completed']);
  });

  it('answers the unfinished job again for the same source instead of a second one', async () => {
    hub.setBytesPerSecond(512 * 1024);
    const m = manager();
    const first = await m.start({ kind: 'hub', repo: REPO, file: 'b-Q8_0.gguf' });
    const again = await m.start({ kind: 'hub', repo: REPO, file: 'b-Q8_0.gguf' });
    expect(again.id).toBe(first.id);
    expect(m.list()).toHaveLength(1);
  });

  it('picks up queued and running jobs after a restart, continuing from the partial file', async () => {
    hub.setBytesPerSecond(1024 * 1024);
    const first = manager({ maxConcurrent: 1 });
    const a = await first.start({ kind: 'hub', repo: REPO, file: 'a-Q4_K_M.gguf' });
    const b = await first.start({ kind: 'hub', repo: REPO, file: 'b-Q8_0.gguf' });
    await waitFor(() => (first.get(a.id)?.bytes ?? 0) > 200_000);
    await first.close(); // the app quits mid-download
    const kept = (await stat(partPathOf(dest('a-Q4_K_M.gguf')))).size;
    expect(store.downloads.get(a.id)?.state).toBe('queued');
    expect(store.downloads.get(b.id)?.state).toBe('queued');

    hub.setBytesPerSecond(undefined);
    const second = manager();
    second.resumeUnfinished();
    const [doneA, doneB] = await Promise.all([second.settled(a.id), second.settled(b.id)]);
    expect([doneA.state, doneB.state]).toEqual(['completed', 'completed']);
    expect(fileRequests().some((r) => r.range === `bytes=${kept}-`)).toBe(true);
    expect(sha(await readFile(dest('a-Q4_K_M.gguf')))).toBe(sha(A));
    expect(sha(await readFile(dest('b-Q8_0.gguf')))).toBe(sha(B));
  });

  it('without resumeUnfinished (a one-shot CLI) drives only its own job: start revives it, other queued jobs stay put', async () => {
    hub.setBytesPerSecond(1024 * 1024);
    const first = manager({ maxConcurrent: 1 });
    const a = await first.start({ kind: 'hub', repo: REPO, file: 'a-Q4_K_M.gguf' });
    const b = await first.start({ kind: 'hub', repo: REPO, file: 'b-Q8_0.gguf' });
    await waitFor(() => (first.get(a.id)?.bytes ?? 0) > 200_000);
    await first.close();
    const kept = (await stat(partPathOf(dest('a-Q4_K_M.gguf')))).size;
    // As a kill -9 leaves it: the row still says running.
    store.downloads.update(a.id, { state: 'running', updatedAt: Date.now() });
    hub.setBytesPerSecond(undefined);
    const requestsBefore = fileRequests().length;

    const oneShot = manager();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fileRequests().length).toBe(requestsBefore); // nothing picked up on its own
    expect([oneShot.get(a.id)?.state, oneShot.get(b.id)?.state]).toEqual(['running', 'queued']);

    const again = await oneShot.start({ kind: 'hub', repo: REPO, file: 'a-Q4_K_M.gguf' });
    expect(again.id).toBe(a.id); // the same job, not a second one
    expect((await oneShot.settled(a.id)).state).toBe('completed');
    expect(fileRequests().slice(requestsBefore).map((r) => r.range)).toEqual([`bytes=${kept}-`]);
    expect(sha(await readFile(dest('a-Q4_K_M.gguf')))).toBe(sha(A));
    expect(oneShot.get(b.id)?.state).toBe('queued'); // someone else's job: left for a long-lived host
    await expect(stat(dest('b-Q8_0.gguf'))).rejects.toThrow();
  });

  it('continues a paused job when the same source is started again', async () => {
    hub.setBytesPerSecond(1024 * 1024);
    const m = manager();
    const job = await m.start({ kind: 'hub', repo: REPO, file: 'a-Q4_K_M.gguf' });
    await waitFor(() => (m.get(job.id)?.bytes ?? 0) > 200_000);
    expect((await m.pause(job.id)).state).toBe('paused');
    hub.setBytesPerSecond(undefined);
    expect((await m.start({ kind: 'hub', repo: REPO, file: 'a-Q4_K_M.gguf' })).id).toBe(job.id);
    expect((await m.settled(job.id)).state).toBe('completed');
    expect(sha(await readFile(dest('a-Q4_K_M.gguf')))).toBe(sha(A));
  });

  it('never lets two processes append to the same partial file; a dead owner\'s lock is taken over', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'models', 'acme', 'blob-GGUF'), { recursive: true });
    const lock = `${partPathOf(dest('b-Q8_0.gguf'))}.lock`;
    await writeFile(lock, String(process.ppid)); // a live process (our parent) holds it
    const m = manager({ retry: { maxAttempts: 100, baseDelayMs: 20, maxDelayMs: 20 } });
    const job = await m.start({ kind: 'hub', repo: REPO, file: 'b-Q8_0.gguf' });
    await waitFor(() => events.some((e) => e.state === 'stalled' && /Another Switchboard process \(pid \d+\)/.test(e.error?.message ?? '')));
    expect(fileRequests()).toEqual([]);
    await writeFile(lock, '999999999'); // now a process that is gone, as after a kill -9
    expect((await m.settled(job.id)).state).toBe('completed');
    await expect(stat(lock)).rejects.toThrow();
    expect(sha(await readFile(dest('b-Q8_0.gguf')))).toBe(sha(B));
  });

  it('fails an Ollama pull in a few quick tries when nothing listens there, without stalls or backoff', async () => {
    // The error a fetch to a closed port really throws, wrapped as the Ollama adapter does.
    const refused = await fetch(`http://127.0.0.1:${await closedPort()}/api/pull`).then(
      () => expect.unreachable('the port should be closed'),
      (cause: unknown) => new ProviderError({ kind: 'connection', provider: 'ollama', message: "Ollama isn't running there (connection refused).", cause }),
    );
    let pulls = 0;
    const m = manager({
      // The backoff alone would hold the job for minutes.
      retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000, refusedDelayMs: 20 },
      pullOllama: async () => {
        pulls++;
        throw refused;
      },
    });
    const startedAt = Date.now();
    const job = await m.settled((await m.start({ kind: 'ollama', model: 'llama3' })).id);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(job).toMatchObject({ state: 'failed', attempts: 3, error: { code: 'ollama', message: "Ollama isn't running there (connection refused)." } });
    expect(pulls).toBe(3);
    expect(events.filter((e) => e.state === 'stalled')).toEqual([]);
  });

  it('still retries an Ollama pull that stalls on a connected server, showing it as stalled', async () => {
    let pulls = 0;
    const m = manager({
      pullOllama: async (_source, { onProgress }) => {
        pulls++;
        onProgress({ digest: 'sha256:layer', completed: pulls === 1 ? 10 : 100, total: 100 });
        if (pulls === 1) throw new ProviderError({ kind: 'timeout', provider: 'ollama', message: 'Ollama at http://127.0.0.1:11434 did not answer in time.' });
      },
    });
    const job = await m.settled((await m.start({ kind: 'ollama', model: 'llama3' })).id);
    expect(job).toMatchObject({ state: 'completed', attempts: 2, bytes: 100 });
    expect(events.find((e) => e.state === 'stalled')?.error?.message).toMatch(/did not answer in time\. Retrying in/);
  });

  it('refuses a file that is already in the library', async () => {
    const m = manager();
    await m.settled((await m.start({ kind: 'hub', repo: REPO, file: 'b-Q8_0.gguf' })).id);
    await expect(m.start({ kind: 'hub', repo: REPO, file: 'b-Q8_0.gguf' })).rejects.toMatchObject({ code: 'exists' });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
