import { describe, expect, it } from 'vitest';
import type { ModelsList, ProviderModels, SelectableModel } from '../../../shared/domain';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { createModelsStore, validateCustomRef } from './models-store';

const model = (ref: string, error: string | null = null): SelectableModel => {
  const slash = ref.indexOf('/');
  const provider = ref.slice(0, slash);
  return {
    ref,
    provider,
    providerType: provider === 'try' ? 'mock' : provider,
    modelId: ref.slice(slash + 1),
    displayName: ref.slice(slash + 1),
    source: provider === 'local' ? 'local' : 'live',
    contextWindow: 256,
    maxOutputTokens: null,
    prices: null,
    capabilities: { vision: null, tools: null, reasoning: null },
    runsLocally: provider === 'local',
    error,
    file: null,
  };
};

const group = (provider: string, models: SelectableModel[], error: ProviderModels['error'] = null): ProviderModels => ({
  provider,
  providerType: provider === 'try' ? 'mock' : provider,
  builtIn: provider === 'local',
  source: provider === 'local' ? 'local' : 'live',
  models,
  error,
  latencyMs: null,
});

const local = (...models: SelectableModel[]): ModelsList => ({ providers: [group('local', models)] });

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

function setup(list: ModelsList, storage = memoryStorage()) {
  const inputs: unknown[] = [];
  const fake = createFakeTransport({
    'models.list': (input) => {
      inputs.push(input);
      return { ok: true, data: list };
    },
  });
  return { store: createModelsStore({ client: createClient(fake.transport), storage }), storage, inputs };
}

describe('models store', () => {
  it('selects the first usable model, never a broken one', async () => {
    const { store } = setup(local(model('local/broken', 'not a GGUF file'), model('local/tiny')));
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ status: 'ready', selectedId: 'local/tiny' });
    store.getState().select('local/broken');
    expect(store.getState().selectedId).toBe('local/tiny');
  });

  it('remembers the choice and restores it on the next start', async () => {
    const first = setup(local(model('local/a'), model('local/b')));
    await first.store.getState().refresh();
    first.store.getState().select('local/b');
    const second = setup(local(model('local/a'), model('local/b')), first.storage);
    await second.store.getState().refresh();
    expect(second.store.getState().selectedId).toBe('local/b');
  });

  it('has no selection when nothing is usable', async () => {
    const { store } = setup(local(model('local/broken', 'bad')));
    await store.getState().refresh();
    expect(store.getState().selectedId).toBeNull();
  });

  it('prefer() switches only to a usable model', async () => {
    const { store } = setup(local(model('local/a'), model('local/b'), model('local/x', 'bad')));
    await store.getState().refresh();
    store.getState().prefer('local/b');
    store.getState().prefer('local/x');
    store.getState().prefer('openai/gpt-4o');
    expect(store.getState().selectedId).toBe('local/b');
  });

  it('keeps the list and says why when listing fails', async () => {
    const fake = createFakeTransport({
      'models.list': () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'host gone' } }),
    });
    const store = createModelsStore({ client: createClient(fake.transport) });
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ status: 'error', error: 'host gone', items: [] });
  });

  it('lists every provider’s models, local first, and selects a provider model', async () => {
    const { store, inputs } = setup({
      providers: [
        group('local', [model('local/tiny')]),
        group('try', [model('try/mock-1')]),
        group('openai', [], { kind: 'auth', message: 'no key', retryable: false }),
      ],
    });
    await store.getState().refresh();
    expect(store.getState().items.map((m) => m.ref)).toEqual(['local/tiny', 'try/mock-1']);
    expect(store.getState().groups.map((g) => g.provider)).toEqual(['local', 'try', 'openai']);
    store.getState().select('try/mock-1');
    expect(store.getState().selectedId).toBe('try/mock-1');
    await store.getState().refresh({ force: true });
    expect(inputs).toEqual([{}, { refresh: true }]);
    expect(store.getState().selectedId).toBe('try/mock-1');
  });

  it('takes a typed provider/model ref for a configured provider, and says why it refuses one', async () => {
    const storage = memoryStorage();
    const list: ModelsList = { providers: [group('local', [model('local/tiny'), model('local/bad', 'broken')]), group('openai', [model('openai/gpt-4o-mini')])] };
    const { store } = setup(list, storage);
    await store.getState().refresh();

    expect(store.getState().selectCustom('')).toMatch(/provider\/model/);
    expect(store.getState().selectCustom('gpt-4o')).toMatch(/provider\/model.*configured providers: openai/);
    expect(store.getState().selectCustom('opnai/gpt-4o')).toBe('unknown provider "opnai"; configured providers: openai');
    expect(store.getState().selectCustom('openai/')).toMatch(/empty/);
    expect(store.getState().selectCustom('local/other')).toMatch(/picked from the list/);
    expect(store.getState().selectCustom('local/bad')).toMatch(/can’t be used: broken/);
    expect(store.getState().selectedId).toBe('local/tiny');

    expect(store.getState().selectCustom(' openai/gpt-4.5-preview ')).toBeNull();
    expect(store.getState()).toMatchObject({ selectedId: 'openai/gpt-4.5-preview', customRefs: ['openai/gpt-4.5-preview'] });
    // a listed ref is just selected
    expect(store.getState().selectCustom('openai/gpt-4o-mini')).toBeNull();
    expect(store.getState().customRefs).toEqual(['openai/gpt-4.5-preview']);

    // the typed ref is remembered and comes back after a restart
    store.getState().selectCustom('openai/gpt-4.5-preview');
    const again = setup(list, storage);
    await again.store.getState().refresh();
    expect(again.store.getState()).toMatchObject({ selectedId: 'openai/gpt-4.5-preview', customRefs: ['openai/gpt-4.5-preview'] });
  });

  it('validates custom refs against the configured providers', () => {
    const groups = [group('local', []), group('claude', [])];
    expect(validateCustomRef('claude/claude-haiku-4-5', groups)).toBeNull();
    expect(validateCustomRef('router/openai/gpt-4o', [...groups, group('router', [])])).toBeNull();
    expect(validateCustomRef('x/y', [group('local', [])])).toBe('unknown provider "x"; no providers are configured in switchboard.yaml');
  });
});

describe('models store: the router groups', () => {
  const routes = [
    { name: 'coder', kind: 'group' as const, targets: ['local/tiny', 'openai/gpt-4o'], strategy: 'ordered' },
    { name: 'smart', kind: 'alias' as const, targets: ['coder'], strategy: null },
  ];

  function withRoutes(list: ModelsList, storage = memoryStorage()) {
    const fake = createFakeTransport({
      'models.list': () => ({ ok: true, data: list }),
      'routing.groups': () => ({ ok: true, data: { groups: routes } }),
    });
    return { store: createModelsStore({ client: createClient(fake.transport), storage }), storage };
  }

  it('lists groups and aliases, selects them and remembers them, and a typed group name is taken', async () => {
    const { store, storage } = withRoutes({ providers: [group('local', [model('local/tiny')]), group('openai', [model('openai/gpt-4o')])] });
    await store.getState().refresh();
    expect(store.getState().routes.map((r) => r.name)).toEqual(['coder', 'smart']);
    store.getState().select('coder');
    expect(store.getState()).toMatchObject({ selectedId: 'coder', customRefs: [] });
    expect(storage.data.get('switchboard.model')).toBe('coder');
    expect(store.getState().selectCustom(' smart ')).toBeNull();
    expect(store.getState()).toMatchObject({ selectedId: 'smart', customRefs: [] });
    expect(store.getState().selectCustom('nothing')).toBe('write it as provider/model (configured providers: openai) or name a group: coder, smart');

    const again = withRoutes({ providers: [group('local', [model('local/tiny')])] }, storage);
    await again.store.getState().refresh();
    expect(again.store.getState().selectedId).toBe('smart');
  });

  it('a host without routing.groups still lists its models', async () => {
    const { store } = setup(local(model('local/tiny')));
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ status: 'ready', routes: [], selectedId: 'local/tiny' });
  });
});
