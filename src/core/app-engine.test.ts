import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_EVENTS, type BackendCheckInfo, type EngineProgressEvent, type EngineSettingsView, type EngineStatusInfo, type LoadedModelInfo } from '../shared/contract';
import { ENGINE_KV_CACHE_TYPES } from '../shared/contract/engine';
import { type Core, createCore } from './app';
import { parseConfigText } from './config';
import { KV_CACHE_TYPES } from './engine/engine';
import { writeTestModel } from './models/test-model';
import { runChat } from './testing/run-chat';

// Engine control through the contract, as the UI and the CLI use it: a real core, a real engine on
// CPU, tiny models, and a switchboard.yaml with engine defaults and a per-model override.
let dir: string;
let core: Core;
const events: EngineProgressEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-engine-'));
  mkdirSync(join(dir, 'models'));
  await writeTestModel(join(dir, 'models', 'alpha.gguf'), { seed: 1 });
  await writeTestModel(join(dir, 'models', 'beta.gguf'), { seed: 2 });
  writeFileSync(
    join(dir, 'switchboard.yaml'),
    ['engine:', '  contextSize: 512', '  models:', '    local/beta: { contextSize: 256, flashAttention: true }', ''].join('\n'),
  );
  core = await createCore({ dataDir: dir, engineOptions: { threads: 1 } });
  core.onEvent((name, data) => {
    if (name === HOST_EVENTS.engineProgress) events.push(data as EngineProgressEvent);
  });
});
afterAll(async () => {
  await core?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function request<T>(route: string, input: unknown): Promise<T> {
  const result = await core.dispatcher.request(route, input, 'test');
  if (!result.ok) throw new Error(`${route} failed: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

describe('engine control through the contract', () => {
  it('the GPU self-check chose the CPU on this machine and remembered it in the data dir', async () => {
    const report = await request<BackendCheckInfo>('engine.check', {});
    expect(report).toMatchObject({ setting: 'auto', chosen: 'cpu' });
    const saved = JSON.parse(await readFile(join(dir, 'gpu-check.json'), 'utf8')) as { machines: Record<string, unknown> };
    expect(Object.keys(saved.machines)).toEqual([report.machine]);
  });

  it('shows the effective settings of a model: defaults, its override, the result', async () => {
    expect(await request<EngineSettingsView>('engine.settings', { model: 'local/beta' })).toEqual({
      id: 'local/beta',
      defaults: { contextSize: 512 },
      override: { contextSize: 256, flashAttention: true },
      effective: { contextSize: 256, flashAttention: true },
    });
    expect((await request<EngineSettingsView>('engine.settings', { model: 'alpha' })).effective).toEqual({ contextSize: 512 });
  });

  it('loads with the effective settings, with progress events that carry the model id', async () => {
    const model = await request<LoadedModelInfo>('engine.load', { model: 'local/beta' });
    expect(model).toMatchObject({ id: 'local/beta', contextSize: 256, settings: { flashAttention: true } });
    const states = events.flatMap((e) => (e.kind === 'model' && e.id === 'local/beta' ? [e.state] : []));
    expect(states).toContain('loading');
    expect(states.at(-1)).toBe('ready');
    const status = await request<EngineStatusInfo>('engine.status', {});
    expect(status).toMatchObject({ backend: 'cpu', selfCheck: { chosen: 'cpu' }, activity: [] });
    expect(status.models.map((m) => [m.id, m.contextSize])).toEqual([['local/beta', 256]]);
  });

  it('a per-load setting wins over the config (the settings form)', async () => {
    const model = await request<LoadedModelInfo>('engine.load', { model: 'local/alpha', settings: { contextSize: 768, threads: 1 } });
    expect(model).toMatchObject({ id: 'local/alpha', contextSize: 768, settings: { threads: 1 } });
    await request('engine.unload', { model: 'local/alpha' });
  });

  it('a chat loads the model on demand with its configured settings', async () => {
    await request('engine.unload', { model: 'local/beta' });
    const { error } = await runChat(core.dispatcher, { model: 'local/beta', text: 'Hello', maxOutputTokens: 4, temperature: 0 });
    expect(error).toBeUndefined();
    const status = await request<EngineStatusInfo>('engine.status', {});
    expect(status.models.find((m) => m.id === 'local/beta')?.contextSize).toBe(256);
  });

  it('hot-swaps: replace unloads the other model', async () => {
    const model = await request<LoadedModelInfo>('engine.load', { model: 'local/alpha', replace: 'local/beta' });
    expect(model.id).toBe('local/alpha');
    const status = await request<EngineStatusInfo>('engine.status', {});
    expect(status.models.map((m) => m.id)).toEqual(['local/alpha']);
  });

  it('unloads, and says whether anything was loaded', async () => {
    expect(await request('engine.unload', { model: 'local/alpha' })).toEqual({ unloaded: true });
    expect(await request('engine.unload', { model: 'local/alpha' })).toEqual({ unloaded: false });
    expect((await request<EngineStatusInfo>('engine.status', {})).models).toEqual([]);
  });

  it('refuses an unknown model and bad settings with clear errors', async () => {
    const unknown = await core.dispatcher.request('engine.load', { model: 'local/nope' }, 'test');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('local/nope') } });
    const bad = await core.dispatcher.request('engine.load', { model: 'local/alpha', settings: { gpuLayers: 'lots' } }, 'test');
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('the engine: section of switchboard.yaml', () => {
  it('takes per-model overrides and a memory budget', () => {
    const loaded = parseConfigText('engine:\n  memoryBudgetMiB: 4096\n  kvCacheType: f16\n  models:\n    qwen: { gpuLayers: max, threads: 4, contextSize: 8192 }\n');
    expect(loaded.ok && loaded.config.engine).toEqual({ memoryBudgetMiB: 4096, kvCacheType: 'f16', models: { qwen: { gpuLayers: 'max', threads: 4, contextSize: 8192 } } });
  });

  it('names the path of a misspelt key or a bad value', () => {
    const misspelt = parseConfigText('engine:\n  models:\n    qwen: { gpulayers: 3 }\n');
    expect(!misspelt.ok && misspelt.errors.map((e) => e.path)).toEqual(['engine.models.qwen']);
    const quantized = parseConfigText('engine:\n  models:\n    qwen: { kvCacheType: q8_0 }\n');
    expect(!quantized.ok && quantized.errors).toEqual([{ path: 'engine.models.qwen.kvCacheType', message: expect.stringMatching(/needs flashAttention: true/) }]);
    const layers = parseConfigText('engine:\n  gpuLayers: some\n');
    expect(!layers.ok && layers.errors[0]).toMatchObject({ path: 'engine.gpuLayers', message: 'expected auto, max or a number of layers' });
  });

  it("the contract's KV cache types are the engine's", () => {
    expect([...ENGINE_KV_CACHE_TYPES]).toEqual([...KV_CACHE_TYPES]);
  });
});
