import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DownloadJob, HOST_EVENTS, type HubInspection, type HubRepo, type ModelFit } from '../shared/contract';
import { type LocalModelEntry } from '../shared/domain';
import { type FakeHub, startFakeHub, testModelRepos } from '../../test/hub/fake-hub';
import { type OllamaWire, startOllamaWire } from '../../test/wire/ollama-wire';
import { type Core, type CoreOptions, createCore } from './app';
import { type Engine } from './engine/engine';
import { createEngine } from './engine/engine-client';
import { writeTestModel } from './models/test-model';

let root: string;
let hub: FakeHub;
let ollama: OllamaWire;
let engine: Engine;
const cores: Core[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sb-app-downloads-'));
  hub = await startFakeHub({ repos: await testModelRepos(join(root, 'hub-files')) });
  ollama = await startOllamaWire({ pullSteps: 4, pullStepDelayMs: 40 });
  // One engine for every core here: the fit estimates run in its worker.
  engine = createEngine({ threads: 1, gpu: false });
  await engine.status();
});

afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
  hub.setBytesPerSecond(undefined);
});

afterAll(async () => {
  await engine?.dispose();
  await hub?.close();
  await ollama?.close();
  await rm(root, { recursive: true, force: true });
});

let n = 0;
async function core(options: Partial<CoreOptions> = {}, dataDir?: string): Promise<Core> {
  const dir = dataDir ?? join(root, `data-${++n}`);
  const config = `hub:\n  url: ${hub.url}\nproviders:\n  llama:\n    type: ollama\n    baseURL: ${ollama.origin}\n`;
  await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
  await writeFile(join(dir, 'switchboard.yaml'), config);
  const c = await createCore({ dataDir: dir, engine, env: {}, downloads: { progressIntervalMs: 0, retry: { baseDelayMs: 10 } }, ...options });
  cores.push(c);
  return c;
}

async function request<T>(c: Core, route: string, input: unknown): Promise<T> {
  const result = await c.dispatcher.request(route, input, 'test');
  if (!result.ok) throw Object.assign(new Error(`${route} failed: ${result.error.code} ${result.error.message}`), { code: result.error.code });
  return result.data as T;
}

function progressEvents(c: Core): DownloadJob[] {
  const events: DownloadJob[] = [];
  c.onEvent((name, data) => {
    if (name === HOST_EVENTS.downloadsProgress) events.push(data as DownloadJob);
  });
  return events;
}

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const finished = (c: Core, id: string) =>
  until(async () => (await request<DownloadJob[]>(c, 'downloads.list', {})).find((j) => j.id === id && ['completed', 'failed', 'cancelled'].includes(j.state)));

describe('models and downloads through the contract', () => {
  it('searches the hub: repos with their GGUF files, sizes, quantization and a fit badge', async () => {
    const c = await core();
    const { hubUrl, repos } = await request<{ hubUrl: string; repos: HubRepo[] }>(c, 'hub.search', { query: 'switchboard-test' });
    expect(hubUrl).toBe(hub.url);
    expect(repos.map((r) => r.id)).toEqual(['switchboard-test/tiny-GGUF', 'switchboard-test/small-GGUF']);
    const tiny = repos[0] as HubRepo;
    expect(tiny.files.map((f) => f.quantization).sort()).toEqual(['F32', 'Q8_0']);
    for (const file of tiny.files) {
      expect(file.sha256).toBe(hub.sha256Of(tiny.id, file.path));
      expect(file.fit).toMatchObject({ basis: 'file-size', backend: 'cpu', mode: 'cpu' });
    }
    const filtered = await request<{ repos: HubRepo[] }>(c, 'hub.search', { query: 'switchboard-test', quantizations: ['q8_0'] });
    expect(filtered.repos.map((r) => [r.id, r.files.map((f) => f.path)])).toEqual([['switchboard-test/tiny-GGUF', ['tiny-Q8_0.gguf']]]);
  });

  it('inspects a remote file: its header over HTTP Range and a GgufInsights fit from the engine', async () => {
    const c = await core();
    const inspection = await request<HubInspection>(c, 'hub.inspect', { repo: 'switchboard-test/small-GGUF', file: 'small-F16.gguf' });
    expect(inspection).toMatchObject({ rangeSupported: true, architecture: 'llama', contextLength: 2048, hasChatTemplate: true, fitError: null });
    expect(inspection.fit).toMatchObject({ basis: 'gguf-insights', mode: 'cpu', backend: 'cpu', totalLayers: 9, contextSize: 2048, gpuLayers: 0 });
    expect(inspection.fit?.ramBytes).toBeGreaterThan(inspection.sizeBytes ?? 0);
  });

  it('downloads a hub file with progress events; it lands in the library, gets a fit, and can be deleted', async () => {
    hub.setBytesPerSecond(2_000_000);
    const c = await core();
    const events = progressEvents(c);
    const job = await request<DownloadJob>(c, 'downloads.start', { kind: 'hub', repo: 'switchboard-test/tiny-GGUF', file: 'tiny-Q8_0.gguf' });
    const done = await finished(c, job.id);
    expect(done).toMatchObject({ state: 'completed', error: null });
    const states = new Set(events.filter((e) => e.id === job.id).map((e) => e.state));
    expect([...states]).toEqual(expect.arrayContaining(['queued', 'running', 'verifying', 'completed']));
    expect(events.some((e) => e.state === 'running' && e.bytes > 0 && e.bytes < (e.total ?? 0))).toBe(true);

    const models = await request<LocalModelEntry[]>(c, 'models.local.list', {});
    const entry = models.find((m) => m.id === 'local/tiny-Q8_0');
    expect(entry).toMatchObject({ error: null, architecture: 'llama', path: done.destPath });
    expect(createHash('sha256').update(await readFile(done.destPath as string)).digest('hex')).toBe(hub.sha256Of('switchboard-test/tiny-GGUF', 'tiny-Q8_0.gguf'));

    const fit = await request<ModelFit>(c, 'models.fit', { id: 'local/tiny-Q8_0' });
    expect(fit).toMatchObject({ basis: 'gguf-insights', mode: 'cpu', totalLayers: 3, contextSize: 2048 });

    expect(await request(c, 'models.delete', { id: 'local/tiny-Q8_0' })).toEqual({ deleted: done.destPath });
    await expect(stat(done.destPath as string)).rejects.toThrow();
    expect((await request<LocalModelEntry[]>(c, 'models.local.list', {})).map((m) => m.id)).not.toContain('local/tiny-Q8_0');
    await expect(request(c, 'models.delete', { id: 'local/tiny-Q8_0' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an unsafe file name, a full disk and a missing file with clear contract errors', async () => {
    const c = await core({ downloads: { freeSpace: async () => 1024 } });
    await expect(request(c, 'downloads.start', { kind: 'hub', repo: 'switchboard-test/tiny-GGUF', file: '../../x.gguf' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('".." path segment'),
    });
    await expect(request(c, 'downloads.start', { kind: 'hub', repo: 'switchboard-test/tiny-GGUF', file: 'tiny-F32.gguf' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('Not enough disk space'),
    });
    await expect(request(c, 'downloads.start', { kind: 'hub', repo: 'switchboard-test/tiny-GGUF', file: 'nope.gguf' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await request(c, 'downloads.list', {})).toEqual([]);
  });

  it('resumes a download after the core restarts, from its partial file', async () => {
    hub.setBytesPerSecond(3_000_000);
    const dir = join(root, 'restart');
    const first = await core({}, dir);
    const job = await request<DownloadJob>(first, 'downloads.start', { kind: 'hub', repo: 'switchboard-test/small-GGUF', file: 'small-F16.gguf' });
    await until(async () => ((await request<DownloadJob[]>(first, 'downloads.list', {}))[0]?.bytes ?? 0) > 2_000_000 || undefined);
    await first.dispose();
    cores.splice(cores.indexOf(first), 1);

    hub.setBytesPerSecond(undefined);
    const before = hub.requests.length;
    const second = await core({}, dir);
    const done = await finished(second, job.id);
    expect(done.state).toBe('completed');
    const resumed = hub.requests.slice(before).find((r) => r.path.startsWith('/cdn/') && r.method === 'GET');
    expect(Number(/^bytes=(\d+)-$/.exec(resumed?.range ?? '')?.[1])).toBeGreaterThan(2_000_000);
    expect(createHash('sha256').update(await readFile(done.destPath as string)).digest('hex')).toBe(hub.sha256Of('switchboard-test/small-GGUF', 'small-F16.gguf'));
  });

  it('a one-shot core (resumeDownloads: false) leaves unfinished jobs alone; starting the same file continues only that one', async () => {
    hub.setBytesPerSecond(3_000_000);
    const dir = join(root, 'one-shot');
    const first = await core({}, dir);
    const job = await request<DownloadJob>(first, 'downloads.start', { kind: 'hub', repo: 'switchboard-test/small-GGUF', file: 'small-F16.gguf' });
    await until(async () => ((await request<DownloadJob[]>(first, 'downloads.list', {}))[0]?.bytes ?? 0) > 1_000_000 || undefined);
    await first.dispose();
    cores.splice(cores.indexOf(first), 1);
    hub.setBytesPerSecond(undefined);

    // `switchboard models list` and friends: the queued job is listed, not fetched.
    const before = hub.requests.length;
    const listing = await core({ resumeDownloads: false }, dir);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await request<DownloadJob[]>(listing, 'downloads.list', {})).map((j) => [j.id, j.state])).toEqual([[job.id, 'queued']]);
    expect(hub.requests.slice(before).filter((r) => r.path.startsWith('/cdn/'))).toEqual([]);

    // `switchboard models download` of the same file: the same job, continued from its part.
    const again = await request<DownloadJob>(listing, 'downloads.start', { kind: 'hub', repo: 'switchboard-test/small-GGUF', file: 'small-F16.gguf' });
    expect(again.id).toBe(job.id);
    expect((await finished(listing, job.id)).state).toBe('completed');
    const resumed = hub.requests.slice(before).find((r) => r.path.startsWith('/cdn/') && r.method === 'GET');
    expect(Number(/^bytes=(\d+)-$/.exec(resumed?.range ?? '')?.[1])).toBeGreaterThan(1_000_000);
  });

  it('runs an Ollama pull as a job with progress, and cancels one midway', async () => {
    const c = await core();
    const events = progressEvents(c);
    const job = await request<DownloadJob>(c, 'downloads.start', { kind: 'ollama', model: 'qwen2.5:0.5b' });
    expect(job).toMatchObject({ title: 'qwen2.5:0.5b', destPath: null });
    const done = await finished(c, job.id);
    expect(done.state).toBe('completed');
    expect(done.total).toBeGreaterThan(0);
    expect(done.bytes).toBe(done.total);
    expect(events.some((e) => e.id === job.id && e.state === 'running' && e.bytes > 0 && e.bytes < (e.total ?? 0))).toBe(true);
    expect(ollama.models.map((m) => m.name)).toContain('qwen2.5:0.5b');

    const second = await request<DownloadJob>(c, 'downloads.start', { kind: 'ollama', model: 'qwen2.5:0.5b', provider: 'llama' });
    await until(async () => ((await request<DownloadJob[]>(c, 'downloads.list', {})).find((j) => j.id === second.id)?.bytes ?? 0) > 0 || undefined);
    const cancelled = await request<DownloadJob>(c, 'downloads.cancel', { id: second.id });
    expect(cancelled.state).toBe('cancelled');

    const unknown = await request<DownloadJob>(c, 'downloads.start', { kind: 'ollama', model: 'no-such-model' });
    expect(await finished(c, unknown.id)).toMatchObject({ state: 'failed', error: { code: 'not_found' } });
    await expect(request(c, 'downloads.start', { kind: 'ollama', model: 'x', provider: 'nope' }).then((j) => finished(c, (j as DownloadJob).id))).resolves.toMatchObject({
      state: 'failed',
      error: { message: expect.stringContaining('No Ollama provider named "nope"') },
    });
  });

  it('imports a dropped GGUF by copy, and refuses a file that is not GGUF', async () => {
    const c = await core();
    const outside = await writeTestModel(join(root, 'dropped', 'dropped-model.gguf'), { preset: 'tiny', seed: 9 });
    const entry = await request<LocalModelEntry>(c, 'models.import', { path: outside.path });
    expect(entry).toMatchObject({ id: 'local/dropped-model', error: null });
    expect(entry.path).not.toBe(outside.path);
    expect((await stat(entry.path)).size).toBe(outside.sizeBytes);
    await expect(request(c, 'models.import', { path: outside.path })).rejects.toMatchObject({ code: 'CONFLICT' });

    const fake = join(root, 'dropped', 'notes.gguf');
    await writeFile(fake, 'just text');
    await expect(request(c, 'models.import', { path: fake })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('GGUF signature') });
    await expect(request(c, 'models.import', { path: 'relative.gguf' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('describes the starter model for onboarding without starting it', async () => {
    const c = await core();
    const starter = await request<{ starter: { repo: string; file: string }; job: DownloadJob | null; presentAt: string | null }>(c, 'downloads.starter', { start: false });
    expect(starter).toMatchObject({ starter: { repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF', file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf' }, job: null, presentAt: null });
    // The fake hub has no such repo: starting it fails as not found, and leaves no job behind.
    await expect(request(c, 'downloads.starter', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
