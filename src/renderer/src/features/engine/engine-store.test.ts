import { describe, expect, it } from 'vitest';
import type { EngineStatusInfo, LoadedModelInfo } from '../../../../shared/contract';
import { createClient } from '../../ipc';
import { createFakeTransport } from '../../ipc/testing/fake-transport';
import { ENGINE_PROGRESS, applyProgress, createEngineStore } from './engine-store';

const model = (id: string): LoadedModelInfo => ({
  id,
  path: `/models/${id.slice('local/'.length)}.gguf`,
  contextSize: 512,
  gpuLayers: 0,
  trainContextSize: 2048,
  sizeBytes: 1_000_000,
  memoryBytes: 3_000_000,
  settings: { gpuLayers: 'auto', contextSize: 512, flashAttention: false, threads: 1, kvCacheType: 'f16' },
  lastUsedAt: 1,
  activeRequests: 0,
});

const status = (models: LoadedModelInfo[]): EngineStatusInfo => ({
  pid: 42,
  backend: 'cpu',
  threads: 1,
  ram: { total: 8e9, free: 4e9 },
  vram: null,
  restarts: 0,
  memoryBudget: { bytes: 3.2e9, source: 'free-memory' },
  selfCheck: { setting: 'auto', chosen: 'cpu', verdicts: [], fromCache: true, machine: 'linux-x64 | no GPU found | driver none | node-llama-cpp 3.21.1' },
  models,
  activity: [],
});

describe('engine store', () => {
  it('follows a load through its states, then shows the model from the status', async () => {
    let loaded: LoadedModelInfo[] = [];
    const fake = createFakeTransport({
      'engine.status': () => ({ ok: true, data: status(loaded) }),
      'engine.load': () => {
        loaded = [model('local/tiny')];
        return { ok: true, data: loaded[0] };
      },
    });
    const store = createEngineStore({ client: createClient(fake.transport), now: () => 5 });
    await store.getState().refresh();
    expect(store.getState().status?.models).toEqual([]);

    const path = '/models/tiny.gguf';
    fake.emit(ENGINE_PROGRESS, { kind: 'model', id: 'local/tiny', path, state: 'loading', progress: 0.5, message: null });
    expect(store.getState().activity[path]).toMatchObject({ state: 'loading', progress: 0.5 });
    fake.emit(ENGINE_PROGRESS, { kind: 'model', id: 'local/tiny', path, state: 'compiling-shaders', progress: null, message: 'shaders' });
    // the bar stays where loading left it
    expect(store.getState().activity[path]).toMatchObject({ state: 'compiling-shaders', progress: 0.5 });

    await store.getState().load('local/tiny', { contextSize: 512 });
    expect(fake.requests.find((r) => r.route === 'engine.load')?.input).toEqual({ model: 'local/tiny', settings: { contextSize: 512 } });
    fake.emit(ENGINE_PROGRESS, { kind: 'model', id: 'local/tiny', path, state: 'ready', progress: 1, message: null });
    await store.getState().refresh();
    expect(store.getState().activity).toEqual({});
    expect(store.getState().status?.models.map((m) => m.id)).toEqual(['local/tiny']);
    expect(store.getState().busy).toEqual({});
  });

  it('hot-swap sends replace, and a refused action is shown on its model', async () => {
    const fake = createFakeTransport({
      'engine.status': () => ({ ok: true, data: status([model('local/a')]) }),
      'engine.load': () => ({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'Refusing to load /models/b.gguf: truncated' } }),
    });
    const store = createEngineStore({ client: createClient(fake.transport) });
    await store.getState().swap('local/a', 'local/b');
    expect(fake.requests.find((r) => r.route === 'engine.load')?.input).toEqual({ model: 'local/b', replace: 'local/a' });
    expect(store.getState().actionErrors['local/b']).toMatch(/truncated/);
  });

  it('a crash clears the loads in progress; self-check steps are kept by backend', () => {
    const base = { activity: { '/m.gguf': { id: null, path: '/m.gguf', state: 'loading' as const, progress: 0.2, message: null, at: 1 } }, checking: {} };
    const crashed = applyProgress(base, { kind: 'engine', state: 'crashed', backend: null, message: 'exit 134' }, 2);
    expect(crashed).toMatchObject({ activity: {}, refresh: true });
    const step = applyProgress(base, { kind: 'backend', backend: 'vulkan', state: 'compiling-shaders', message: 'shaders' }, 2);
    expect(step.checking).toEqual({ vulkan: { state: 'compiling-shaders', message: 'shaders' } });
    expect(step.refresh).toBe(false);
    expect(applyProgress(base, { kind: 'model', id: null, path: '/m.gguf', state: 'failed', progress: null, message: 'out of memory' }, 3).activity['/m.gguf']).toMatchObject({
      state: 'failed',
      message: 'out of memory',
    });
  });
});
