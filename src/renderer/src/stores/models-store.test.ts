import { describe, expect, it } from 'vitest';
import type { LocalModelEntry } from '../../../shared/domain';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { createModelsStore } from './models-store';

const entry = (id: string, error: string | null = null): LocalModelEntry => ({
  id,
  name: id.replace('local/', ''),
  path: `/models/${id}.gguf`,
  sizeBytes: 1000,
  architecture: 'llama',
  parameterCount: null,
  quantization: null,
  contextLength: 256,
  hasChatTemplate: true,
  error,
});

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

function setup(models: LocalModelEntry[], storage = memoryStorage()) {
  const fake = createFakeTransport({ 'models.local.list': () => ({ ok: true, data: models }) });
  return { store: createModelsStore({ client: createClient(fake.transport), storage }), storage };
}

describe('models store', () => {
  it('selects the first usable model, never a broken one', async () => {
    const { store } = setup([entry('local/broken', 'not a GGUF file'), entry('local/tiny')]);
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ status: 'ready', selectedId: 'local/tiny' });
    store.getState().select('local/broken');
    expect(store.getState().selectedId).toBe('local/tiny');
  });

  it('remembers the choice and restores it on the next start', async () => {
    const first = setup([entry('local/a'), entry('local/b')]);
    await first.store.getState().refresh();
    first.store.getState().select('local/b');
    const second = setup([entry('local/a'), entry('local/b')], first.storage);
    await second.store.getState().refresh();
    expect(second.store.getState().selectedId).toBe('local/b');
  });

  it('has no selection when nothing is usable', async () => {
    const { store } = setup([entry('local/broken', 'bad')]);
    await store.getState().refresh();
    expect(store.getState().selectedId).toBeNull();
  });

  it('prefer() switches only to a usable model', async () => {
    const { store } = setup([entry('local/a'), entry('local/b'), entry('local/x', 'bad')]);
    await store.getState().refresh();
    store.getState().prefer('local/b');
    store.getState().prefer('local/x');
    store.getState().prefer('openai/gpt-4o');
    expect(store.getState().selectedId).toBe('local/b');
  });

  it('keeps the list and says why when listing fails', async () => {
    const fake = createFakeTransport({
      'models.local.list': () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'host gone' } }),
    });
    const store = createModelsStore({ client: createClient(fake.transport) });
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ status: 'error', error: 'host gone', items: [] });
  });
});
