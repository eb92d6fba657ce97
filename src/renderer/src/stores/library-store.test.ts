import { describe, expect, it } from 'vitest';
import type { DownloadJob, ModelFit } from '../../../shared/contract';
import type { LocalModelEntry } from '../../../shared/domain';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { BROWSER_IMPORT_MESSAGE, createLibraryStore } from './library-store';

const entry = (name: string): LocalModelEntry => ({
  id: `local/${name}`,
  name,
  path: `/data/models/${name}.gguf`,
  sizeBytes: 100,
  architecture: 'llama',
  parameterCount: 1000,
  quantization: 'F32',
  contextLength: 128,
  hasChatTemplate: false,
  error: null,
});

const file = (name: string) => new File(['GGUF'], name);

describe('library store', () => {
  it('deletes a model, then tells the library changed', async () => {
    const fake = createFakeTransport({ 'models.delete': () => ({ ok: true, data: { deleted: '/data/models/tiny.gguf' } }) });
    let changed = 0;
    const store = createLibraryStore({ client: createClient(fake.transport), onLibraryChanged: () => changed++ });
    await expect(store.getState().deleteModel('local/tiny')).resolves.toBe(true);
    expect(fake.requests).toEqual([{ route: 'models.delete', input: { id: 'local/tiny' } }]);
    expect(store.getState().notice).toEqual({ kind: 'ok', text: 'Deleted /data/models/tiny.gguf' });
    expect(store.getState().deleting).toEqual({});
    expect(changed).toBe(1);
  });

  it('says why a delete was refused, and changes nothing', async () => {
    const fake = createFakeTransport({ 'models.delete': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no local model "local/gone"' } }) });
    let changed = 0;
    const store = createLibraryStore({ client: createClient(fake.transport), onLibraryChanged: () => changed++ });
    await expect(store.getState().deleteModel('local/gone')).resolves.toBe(false);
    expect(store.getState().notice).toEqual({ kind: 'error', text: 'Could not delete local/gone: no local model "local/gone"' });
    expect(changed).toBe(0);
  });

  it('imports dropped .gguf files by their path, skipping other files and naming them', async () => {
    const fake = createFakeTransport({
      'models.import': (input) => {
        const path = (input as { path: string }).path;
        return path.endsWith('bad.gguf')
          ? { ok: false, error: { code: 'VALIDATION_FAILED', message: 'not a GGUF file (no GGUF magic)' } }
          : { ok: true, data: entry('good') };
      },
    });
    let changed = 0;
    const store = createLibraryStore({
      client: createClient(fake.transport),
      pathOf: (f) => `/home/me/Downloads/${f.name}`,
      onLibraryChanged: () => changed++,
    });
    await store.getState().importFiles([file('good.gguf'), file('notes.txt'), file('bad.gguf')]);
    expect(fake.requests.map((r) => r.input)).toEqual([{ path: '/home/me/Downloads/good.gguf' }, { path: '/home/me/Downloads/bad.gguf' }]);
    expect(store.getState().notice).toEqual({
      kind: 'error',
      text: 'Imported good. Could not import bad.gguf: not a GGUF file (no GGUF magic). Skipped (not .gguf): notes.txt.',
    });
    expect(store.getState().importing).toBe(false);
    expect(changed).toBe(1);
  });

  it('in a browser, where no path is known, says how to add the file instead of failing silently', async () => {
    const fake = createFakeTransport({});
    const store = createLibraryStore({ client: createClient(fake.transport), pathOf: () => null });
    await store.getState().importFiles([file('model.gguf')]);
    expect(store.getState().notice).toEqual({ kind: 'error', text: BROWSER_IMPORT_MESSAGE });
    expect(fake.requests).toEqual([]);
    const withoutResolver = createLibraryStore({ client: createClient(fake.transport) });
    await withoutResolver.getState().importFiles([file('model.gguf')]);
    expect(withoutResolver.getState().notice?.text).toBe(BROWSER_IMPORT_MESSAGE);
  });

  it('refuses a drop with no .gguf file in it', async () => {
    const fake = createFakeTransport({});
    const store = createLibraryStore({ client: createClient(fake.transport), pathOf: (f) => `/x/${f.name}` });
    await store.getState().importFiles([file('photo.png')]);
    expect(store.getState().notice).toEqual({ kind: 'error', text: 'Only .gguf model files can be imported (dropped: photo.png).' });
    expect(fake.requests).toEqual([]);
  });

  it('loads a model’s fit once, and asks again after an error', async () => {
    const fit: ModelFit = { mode: 'full-gpu', basis: 'gguf-insights', gpuLayers: 24, totalLayers: 24, contextSize: 32768, ramBytes: 1, vramBytes: 2, backend: 'vulkan' };
    let fail = true;
    const fake = createFakeTransport({
      'models.fit': () => (fail ? { ok: false, error: { code: 'UNAVAILABLE', message: 'the engine is starting' } } : { ok: true, data: fit }),
    });
    const store = createLibraryStore({ client: createClient(fake.transport) });
    await store.getState().loadFit('local/tiny');
    expect(store.getState().fits['local/tiny']).toEqual({ status: 'error', fit: null, error: 'the engine is starting' });
    fail = false;
    await store.getState().loadFit('local/tiny');
    await store.getState().loadFit('local/tiny');
    expect(store.getState().fits['local/tiny']).toEqual({ status: 'ready', fit, error: null });
    expect(fake.requests).toHaveLength(2);
  });

  it('describes the starter model, then starts it with one call and hands the job on', async () => {
    const starter = { repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF', file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf', title: 'Qwen2.5 0.5B Instruct', approxSizeBytes: 491_000_000 };
    const job = { id: 'j1', state: 'queued' } as DownloadJob;
    const fake = createFakeTransport({
      'downloads.starter': (input) => ({ ok: true, data: { starter, job: (input as { start: boolean }).start ? job : null, presentAt: null } }),
    });
    const jobs: DownloadJob[] = [];
    const store = createLibraryStore({ client: createClient(fake.transport), onJob: (j) => jobs.push(j) });
    await store.getState().loadStarter();
    expect(store.getState().starter).toEqual({ status: 'ready', model: starter, presentAt: null, error: null });
    expect(jobs).toEqual([]);
    await store.getState().startStarter();
    expect(fake.requests.map((r) => r.input)).toEqual([{ start: false }, { start: true }]);
    expect(jobs).toEqual([job]);
  });
});
