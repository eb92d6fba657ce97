import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeTestModel } from '../models/test-model';
import type { Engine, EngineEvent, EngineStreamEvent, EngineStreamRequest, LoadedModel } from './engine';
import { createEngine } from './engine-client';

// One real engine (node-llama-cpp on CPU in its own process) and three tiny models of the same shape,
// so each takes the same memory and a budget can be set in units of models.
let dir: string;
let a: string;
let b: string;
let c: string;
let engine: Engine;
let events: EngineEvent[] = [];
/** The pool's estimate for one tiny model at the tests' context size. */
let modelBytes = 0;
const CONTEXT = 512;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'engine-pool-'));
  const write = async (seed: number) => (await writeTestModel(join(dir, `m${seed}.gguf`), { seed })).path;
  a = await write(1);
  b = await write(2);
  c = await write(3);
  engine = createEngine({ gpu: false, threads: 1 });
  engine.onEvent((e) => events.push(e));
});

afterAll(async () => {
  await engine?.dispose();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  // Each test starts from an empty pool with no budget to speak of.
  await engine.setMemoryBudget(2 ** 40);
  for (const m of (await engine.status()).models) await engine.unload(m.path);
  events = [];
});

const loaded = async () => (await engine.status()).models.map((m) => m.path).sort();
const statesOf = (path: string) => events.flatMap((e) => (e.type === 'model' && e.path === path ? [e.state] : []));

function request(modelPath: string, maxOutputTokens: number): EngineStreamRequest {
  return {
    modelPath,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Tell me about the river.' }] }],
    maxOutputTokens,
    temperature: 0.8,
    seed: 7,
    loadOptions: { contextSize: CONTEXT },
  };
}

/** Starts a stream and resolves `started` at its first text; `done` has every event. */
function startStream(modelPath: string, maxOutputTokens: number) {
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const done = (async () => {
    const out: EngineStreamEvent[] = [];
    for await (const e of engine.stream(request(modelPath, maxOutputTokens))) {
      out.push(e);
      if (e.type === 'text') markStarted();
    }
    markStarted();
    return out;
  })();
  return { started, done };
}

describe('engine control: load, unload, pool, settings (real worker, tiny models)', () => {
  it('loads with progress and states, and reports the model with its memory and settings', async () => {
    const progress: number[] = [];
    const model: LoadedModel = await engine.load(a, { contextSize: CONTEXT }, (p) => progress.push(p));
    expect(progress.at(-1)).toBe(1);
    expect(model).toMatchObject({ path: a, contextSize: CONTEXT, activeRequests: 0, settings: { contextSize: CONTEXT, threads: 1, gpuLayers: 'auto', kvCacheType: 'f16' } });
    expect(model.memoryBytes).toBeGreaterThan(model.sizeBytes / 2);
    modelBytes = model.memoryBytes;
    // loading (with progress), a warm-up decode, then ready.
    const states = statesOf(a);
    expect(states[0]).toBe('loading');
    expect(states.slice(-2)).toEqual(['warming', 'ready']);
    expect(events.some((e) => e.type === 'model' && e.state === 'loading' && e.progress === 1)).toBe(true);

    const status = await engine.status();
    expect(status.models).toHaveLength(1);
    expect(status.memoryBudget).toEqual({ bytes: 2 ** 40, source: 'config' });
    expect(status.selfCheck).toBeNull();

    await engine.unload(a);
    expect(await loaded()).toEqual([]);
    expect(statesOf(a).at(-1)).toBe('unloaded');
  });

  it('applies per-model settings: context size, threads, flash attention and the KV cache type', async () => {
    // (The tiny model's 16-wide heads can't take a block-quantized cache such as q8_0; f32 shows the setting applies.)
    const model = await engine.load(b, { contextSize: 256, threads: 2, flashAttention: true, kvCacheType: 'f32' });
    expect(model.settings).toEqual({ gpuLayers: 'auto', contextSize: 256, threads: 2, flashAttention: true, kvCacheType: 'f32' });
    const [inStatus] = (await engine.status()).models;
    expect(inStatus).toMatchObject({ path: b, contextSize: 256, settings: { contextSize: 256, kvCacheType: 'f32' } });
    // An f32 KV cache is estimated larger than the default f16 one.
    const plain = await engine.load(c, { contextSize: 256, flashAttention: true });
    expect(model.memoryBytes).toBeGreaterThan(plain.memoryBytes);
    // The model still generates with those settings.
    const events = [];
    for await (const e of engine.stream({ ...request(b, 8), loadOptions: {} })) events.push(e);
    expect(events.at(-1)).toMatchObject({ type: 'done', outputTokens: 8 });
  });

  it('loading a loaded model with other settings loads it again; the same settings keep it', async () => {
    await engine.load(a, { contextSize: CONTEXT });
    events = [];
    await engine.load(a, { contextSize: CONTEXT });
    expect(statesOf(a)).toEqual([]);
    const reloaded = await engine.load(a, { contextSize: 256 });
    expect(reloaded.contextSize).toBe(256);
    expect(statesOf(a)[0]).toBe('unloaded');
    expect(statesOf(a).at(-1)).toBe('ready');
    expect((await engine.status()).models.map((m) => m.contextSize)).toEqual([256]);
  });

  it('evicts the least recently used idle model when a load would go over the budget', async () => {
    await engine.load(a, { contextSize: CONTEXT });
    await engine.load(b, { contextSize: CONTEXT });
    await engine.setMemoryBudget(Math.round(modelBytes * 2.5));
    // Using `a` makes `b` the least recently used.
    for await (const e of engine.stream(request(a, 4))) void e;
    await engine.load(c, { contextSize: CONTEXT });
    expect(await loaded()).toEqual([a, c].sort());
    expect(statesOf(b).at(-1)).toBe('evicted');
    expect(statesOf(a)).not.toContain('evicted');
  });

  it('lowering the budget evicts idle models at once', async () => {
    await engine.load(a, { contextSize: CONTEXT });
    await engine.load(b, { contextSize: CONTEXT });
    await engine.setMemoryBudget(Math.round(modelBytes * 1.5));
    expect(await loaded()).toEqual([b]);
    expect(statesOf(a).at(-1)).toBe('evicted');
  });

  it('never evicts a model with a stream in flight: the load waits, the stream finishes', async () => {
    await engine.load(a, { contextSize: CONTEXT });
    await engine.setMemoryBudget(Math.round(modelBytes * 1.5));
    const stream = startStream(a, 400);
    await stream.started;
    expect((await engine.status()).models[0]).toMatchObject({ path: a, activeRequests: 1 });
    const finished: string[] = [];
    const loadingB = engine.load(b, { contextSize: CONTEXT }).then(() => finished.push('b loaded'));
    const out = await stream.done.finally(() => finished.push('stream done'));
    expect(out.at(-1)).toMatchObject({ type: 'done', stopReason: 'length', outputTokens: 400 });
    await loadingB;
    expect(finished).toEqual(['stream done', 'b loaded']);
    expect(await loaded()).toEqual([b]);
    // b waited for a's stream; a was evicted once it ended, then b loaded.
    const order = events.flatMap((e) => (e.type === 'model' && (e.path === a || e.path === b) ? [`${e.path === a ? 'a' : 'b'}:${e.state}`] : []));
    expect(order.indexOf('b:waiting')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('b:waiting')).toBeLessThan(order.indexOf('a:evicted'));
    expect(order.indexOf('a:evicted')).toBeLessThan(order.indexOf('b:loading'));
    expect(order.at(-1)).toBe('b:ready');
  });

  it('hot-swaps during a stream: the new model loads, the stream on the old one finishes, then the old one goes', async () => {
    await engine.load(a, { contextSize: CONTEXT });
    const stream = startStream(a, 400);
    await stream.started;
    expect((await engine.status()).models[0]).toMatchObject({ path: a, activeRequests: 1 });
    const swapped = await engine.swap(a, b, { contextSize: CONTEXT });
    expect(swapped.path).toBe(b);
    const out = await stream.done;
    expect(out.filter((e) => e.type === 'error')).toEqual([]);
    expect(out.at(-1)).toMatchObject({ type: 'done', stopReason: 'length', outputTokens: 400 });
    expect(await loaded()).toEqual([b]);
    expect(statesOf(a).at(-1)).toBe('unloaded');
  });
});
