import { describe, expect, it } from 'vitest';
import type { HubInspection, HubRepo } from '../../../shared/contract';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { createHubStore, inspectionKey } from './hub-store';

const repo = (id: string): HubRepo => ({
  id,
  downloads: 10,
  likes: 1,
  updatedAt: null,
  files: [{ path: 'm-Q4_K_M.gguf', sizeBytes: 400e6, quantization: 'Q4_K_M', sha256: null, fit: null }],
});

describe('hub store', () => {
  it('searches with the trimmed query and the sort, and keeps the hub that answered', async () => {
    const fake = createFakeTransport({ 'hub.search': () => ({ ok: true, data: { hubUrl: 'http://127.0.0.1:9', repos: [repo('a/b-GGUF')] } }) });
    const store = createHubStore({ client: createClient(fake.transport) });
    store.getState().setQuery('  qwen ');
    store.getState().setSort('likes');
    await store.getState().search();
    expect(fake.requests).toEqual([{ route: 'hub.search', input: { query: 'qwen', limit: 20, sort: 'likes' } }]);
    expect(store.getState()).toMatchObject({ status: 'ready', searched: 'qwen', hubUrl: 'http://127.0.0.1:9', repos: [{ id: 'a/b-GGUF' }] });
  });

  it('the newest search wins even when an older one answers last', async () => {
    const waiting: ((value: unknown) => void)[] = [];
    const fake = createFakeTransport({
      'hub.search': (input) => ({ ok: true, data: { hubUrl: 'h', repos: [repo(`x/${(input as { query: string }).query}`)] } }),
    });
    const original = fake.transport.request.bind(fake.transport);
    fake.transport.request = async (route, input) => {
      await new Promise((resolve) => waiting.push(resolve));
      return original(route, input);
    };
    const store = createHubStore({ client: createClient(fake.transport) });
    store.getState().setQuery('old');
    const first = store.getState().search();
    store.getState().setQuery('new');
    const second = store.getState().search();
    await new Promise((resolve) => setTimeout(resolve, 0));
    waiting[1]!(undefined);
    await second;
    waiting[0]!(undefined);
    await first;
    expect(store.getState().repos.map((r) => r.id)).toEqual(['x/new']);
  });

  it('says why a search failed and keeps the last results', async () => {
    let fail = false;
    const fake = createFakeTransport({
      'hub.search': () =>
        fail
          ? { ok: false, error: { code: 'UNAVAILABLE', message: 'could not reach the hub at http://127.0.0.1:9' } }
          : { ok: true, data: { hubUrl: 'h', repos: [repo('a/b')] } },
    });
    const store = createHubStore({ client: createClient(fake.transport) });
    await store.getState().search();
    fail = true;
    await store.getState().search();
    expect(store.getState()).toMatchObject({ status: 'error', error: 'could not reach the hub at http://127.0.0.1:9', repos: [{ id: 'a/b' }] });
  });

  it('reads one file’s header on demand', async () => {
    const inspection: HubInspection = {
      repo: 'a/b',
      file: 'm.gguf',
      sizeBytes: 10,
      sha256: null,
      rangeSupported: true,
      architecture: 'qwen2',
      parameterCount: 494e6,
      quantization: 'Q4_K_M',
      contextLength: 32768,
      hasChatTemplate: true,
      fit: null,
      fitError: 'the engine is not running',
    };
    const fake = createFakeTransport({
      'hub.inspect': (input) =>
        (input as { file: string }).file === 'm.gguf' ? { ok: true, data: inspection } : { ok: false, error: { code: 'NOT_FOUND', message: 'no such file' } },
    });
    const store = createHubStore({ client: createClient(fake.transport) });
    await store.getState().inspect('a/b', 'm.gguf');
    await store.getState().inspect('a/b', 'gone.gguf');
    expect(store.getState().inspections[inspectionKey('a/b', 'm.gguf')]).toEqual({ status: 'ready', data: inspection, error: null });
    expect(store.getState().inspections[inspectionKey('a/b', 'gone.gguf')]).toEqual({ status: 'error', data: null, error: 'no such file' });
  });
});
