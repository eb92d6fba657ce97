import { describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../../shared/contract';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { actionsFor, createDownloadsStore, sourceKey } from './downloads-store';

function job(id: string, patch: Partial<DownloadJob> = {}): DownloadJob {
  return {
    id,
    source: { kind: 'hub', repo: 'owner/repo-GGUF', file: `${id}.gguf` },
    title: `${id}.gguf`,
    state: 'running',
    bytes: 0,
    total: 1000,
    speedBps: null,
    etaSeconds: null,
    destPath: null,
    sha256: null,
    attempts: 1,
    error: null,
    createdAt: 1,
    updatedAt: 1,
    completedAt: null,
    ...patch,
  };
}

function manualScheduler() {
  const queued: (() => void)[] = [];
  return {
    schedule: (flush: () => void) => {
      queued.push(flush);
      return () => void queued.splice(queued.indexOf(flush), 1);
    },
    tick: () => queued.splice(0).forEach((flush) => flush()),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('downloads store', () => {
  it('lists jobs newest first', async () => {
    const fake = createFakeTransport({ 'downloads.list': () => ({ ok: true, data: [job('old', { createdAt: 1 }), job('new', { createdAt: 5 })] }) });
    const store = createDownloadsStore({ client: createClient(fake.transport) });
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ status: 'ready', ids: ['new', 'old'] });
  });

  it('applies progress events at most once per frame, the latest per job, without touching the id list', async () => {
    const fake = createFakeTransport({ 'downloads.list': () => ({ ok: true, data: [job('a'), job('b', { createdAt: 2 })] }) });
    const clock = manualScheduler();
    const store = createDownloadsStore({ client: createClient(fake.transport), schedule: clock.schedule });
    await store.getState().refresh();
    const ids = store.getState().ids;
    let updates = 0;
    store.subscribe(() => updates++);

    fake.emit('downloads.progress', job('a', { bytes: 100, updatedAt: 2 }));
    fake.emit('downloads.progress', job('a', { bytes: 200, updatedAt: 3 }));
    fake.emit('downloads.progress', job('b', { bytes: 50, updatedAt: 3 }));
    fake.emit('downloads.progress', { not: 'a job' });
    expect(updates).toBe(0);
    clock.tick();
    expect(updates).toBe(1);
    expect(store.getState().jobs.a?.bytes).toBe(200);
    expect(store.getState().jobs.b?.bytes).toBe(50);
    expect(store.getState().ids).toBe(ids);
  });

  it('ignores what is older than the job it holds, so a late answer never rolls a job back', async () => {
    const fake = createFakeTransport({
      'downloads.list': () => ({ ok: true, data: [job('a')] }),
      'downloads.pause': () => ({ ok: true, data: job('a', { state: 'paused', bytes: 300, updatedAt: 4 }) }),
    });
    const clock = manualScheduler();
    const store = createDownloadsStore({ client: createClient(fake.transport), schedule: clock.schedule });
    await store.getState().refresh();
    await store.getState().act('a', 'pause');
    expect(store.getState().jobs.a).toMatchObject({ state: 'paused', bytes: 300 });
    fake.emit('downloads.progress', job('a', { state: 'running', bytes: 250, updatedAt: 3 }));
    clock.tick();
    expect(store.getState().jobs.a).toMatchObject({ state: 'paused', bytes: 300 });
  });

  it('adds a started job and a job first seen in an event', async () => {
    const fake = createFakeTransport({ 'downloads.start': () => ({ ok: true, data: job('s', { state: 'queued', createdAt: 3 }) }) });
    const clock = manualScheduler();
    const store = createDownloadsStore({ client: createClient(fake.transport), schedule: clock.schedule });
    const outcome = await store.getState().start({ kind: 'hub', repo: 'owner/repo-GGUF', file: 's.gguf' });
    expect(outcome).toMatchObject({ ok: true, job: { id: 's' } });
    fake.emit('downloads.progress', job('e', { createdAt: 9 }));
    clock.tick();
    expect(store.getState().ids).toEqual(['e', 's']);
  });

  it('says why a start was refused, with the host’s code', async () => {
    const fake = createFakeTransport({
      'downloads.start': () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'not enough disk space: 1 GB free, 4 GB needed' } }),
    });
    const store = createDownloadsStore({ client: createClient(fake.transport) });
    const outcome = await store.getState().start({ kind: 'hub', repo: 'owner/repo-GGUF', file: 'big.gguf' });
    expect(outcome).toEqual({ ok: false, code: 'UNAVAILABLE', message: 'not enough disk space: 1 GB free, 4 GB needed' });
    expect(store.getState().ids).toEqual([]);
  });

  it('marks the job busy during an action and keeps a refused action’s reason', async () => {
    let answer: (value: unknown) => void = () => {};
    const fake = createFakeTransport({
      'downloads.list': () => ({ ok: true, data: [job('a', { state: 'completed' })] }),
      'downloads.cancel': () => ({ ok: false, error: { code: 'CONFLICT', message: 'a finished download cannot be cancelled' } }),
    });
    const original = fake.transport.request.bind(fake.transport);
    fake.transport.request = async (route, input) => {
      if (route === 'downloads.cancel') await new Promise((resolve) => (answer = resolve));
      return original(route, input);
    };
    const store = createDownloadsStore({ client: createClient(fake.transport) });
    await store.getState().refresh();
    const acting = store.getState().act('a', 'cancel');
    await tick();
    expect(store.getState().busy).toEqual({ a: 'cancel' });
    void store.getState().act('a', 'cancel'); // a second click while busy does nothing
    answer(undefined);
    await acting;
    expect(store.getState().busy).toEqual({});
    expect(store.getState().actionErrors).toEqual({ a: 'a finished download cannot be cancelled' });
    expect(fake.requests.filter((r) => r.route === 'downloads.cancel')).toHaveLength(1);
  });

  it('dismisses a job for good, even if a late event for it arrives', async () => {
    const fake = createFakeTransport({
      'downloads.list': () => ({ ok: true, data: [job('a', { state: 'failed' }), job('b')] }),
      'downloads.dismiss': () => ({ ok: true, data: { dismissed: true } }),
    });
    const clock = manualScheduler();
    const store = createDownloadsStore({ client: createClient(fake.transport), schedule: clock.schedule });
    await store.getState().refresh();
    await store.getState().act('a', 'dismiss');
    expect(store.getState().ids).toEqual(['b']);
    fake.emit('downloads.progress', job('a', { state: 'failed', updatedAt: 9 }));
    clock.tick();
    expect(store.getState().ids).toEqual(['b']);
    expect(store.getState().jobs.a).toBeUndefined();
  });

  it('tells when a job it was following completes (once), not for jobs that were already done', async () => {
    const fake = createFakeTransport({ 'downloads.list': () => ({ ok: true, data: [job('done', { state: 'completed' }), job('a')] }) });
    const clock = manualScheduler();
    const completed: string[] = [];
    const store = createDownloadsStore({ client: createClient(fake.transport), schedule: clock.schedule, onCompleted: (j) => completed.push(j.id) });
    await store.getState().refresh();
    fake.emit('downloads.progress', job('a', { state: 'verifying', updatedAt: 2 }));
    clock.tick();
    fake.emit('downloads.progress', job('a', { state: 'completed', updatedAt: 3 }));
    clock.tick();
    fake.emit('downloads.progress', job('a', { state: 'completed', updatedAt: 4 }));
    clock.tick();
    expect(completed).toEqual(['a']);
  });
});

describe('actionsFor and sourceKey', () => {
  it('offers the buttons each state allows', () => {
    expect(actionsFor('running')).toEqual(['pause', 'cancel']);
    expect(actionsFor('stalled')).toEqual(['pause', 'cancel']);
    expect(actionsFor('paused')).toEqual(['resume', 'cancel']);
    expect(actionsFor('failed')).toEqual(['retry', 'dismiss']);
    expect(actionsFor('completed')).toEqual(['dismiss']);
    expect(actionsFor('verifying')).toEqual([]);
  });

  it('keys a source by what it downloads', () => {
    expect(sourceKey({ kind: 'hub', repo: 'o/r', file: 'a/b.gguf' })).toBe('hub:o/r/a/b.gguf');
    expect(sourceKey({ kind: 'ollama', model: 'llama3.2' })).toBe('ollama:/llama3.2');
  });
});
