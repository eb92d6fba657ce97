import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../shared/llm';
import { writeTestModel } from '../models/test-model';
import type { Engine, EngineStreamEvent, EngineStreamRequest } from './engine';
import { createEngine } from './engine-client';

const run = promisify(execFile);

// One real engine (a real child process running node-llama-cpp on CPU) for the whole file.
let dir: string;
let modelPath: string;
let engine: Engine;
const logs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'engine-'));
  modelPath = (await writeTestModel(join(dir, 'tiny.gguf'), { seed: 3 })).path;
  engine = createEngine({ gpu: false, threads: 1, onLog: (line) => logs.push(line) });
});

afterAll(async () => {
  await engine?.dispose();
  await rm(dir, { recursive: true, force: true });
});

function request(overrides: Partial<EngineStreamRequest> = {}): EngineStreamRequest {
  return {
    modelPath,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Tell me about the river.' }] }],
    maxOutputTokens: 48,
    temperature: 0.8,
    seed: 7,
    loadOptions: { contextSize: 1024 },
    ...overrides,
  };
}

async function collect(events: AsyncIterable<EngineStreamEvent>): Promise<EngineStreamEvent[]> {
  const out: EngineStreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('engine (real worker process, tiny model)', () => {
  it('loads a model and reports progress', async () => {
    const progress: number[] = [];
    const loaded = await engine.load(modelPath, { contextSize: 1024 }, (p) => progress.push(p));
    expect(loaded).toMatchObject({ path: modelPath, contextSize: 1024, gpuLayers: 0, trainContextSize: 2048 });
    expect(loaded.sizeBytes).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
  });

  it('streams batched text, then exactly one done with token counts', async () => {
    const events = await collect(engine.stream(request({ maxOutputTokens: 64 })));
    const texts = events.filter((e) => e.type === 'text');
    const last = events.at(-1);
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.map((e) => (e.type === 'text' ? e.text : '')).join('').length).toBeGreaterThan(10);
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
    expect(last).toMatchObject({ type: 'done', stopReason: 'length', outputTokens: 64 });
    expect(last?.type === 'done' && last.inputTokens).toBeGreaterThan(0);
    expect(last?.type === 'done' && last.generationMs).toBeGreaterThan(0);
  });

  it('counts the whole prompt when part of it is reused from the cache', async () => {
    const prompt = request({ maxOutputTokens: 8, messages: [{ role: 'user', content: [{ type: 'text', text: 'The same question again.' }] }] });
    const first = (await collect(engine.stream(prompt))).at(-1);
    const second = (await collect(engine.stream(prompt))).at(-1);
    if (first?.type !== 'done' || second?.type !== 'done') throw new Error('expected both streams to finish');
    expect(first.inputTokens).toBeGreaterThan(0);
    // The same prompt is the same number of input tokens, however much of it was evaluated again.
    expect(second.inputTokens).toBe(first.inputTokens);
    expect(second.cachedInputTokens).toBeGreaterThan(0);
    expect(second.cachedInputTokens).toBeLessThanOrEqual(second.inputTokens);
  });

  it('is deterministic for a seed', async () => {
    const text = async () =>
      (await collect(engine.stream(request({ seed: 11 })))).map((e) => (e.type === 'text' ? e.text : '')).join('');
    expect(await text()).toBe(await text());
  });

  it('stops at a stop sequence', async () => {
    const events = await collect(engine.stream(request({ stop: ['e'], maxOutputTokens: 200 })));
    expect(events.at(-1)).toMatchObject({ type: 'done', stopReason: 'stop-sequence' });
  });

  it('aborts mid-stream and ends with stopReason aborted', async () => {
    const controller = new AbortController();
    const events: EngineStreamEvent[] = [];
    for await (const e of engine.stream(request({ maxOutputTokens: 900 }), controller.signal)) {
      events.push(e);
      if (e.type === 'text') controller.abort();
    }
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'done', stopReason: 'aborted' });
    expect(last?.type === 'done' && last.outputTokens).toBeLessThan(900);
  });

  it('an already-aborted signal ends at once', async () => {
    const events = await collect(engine.stream(request(), AbortSignal.abort()));
    expect(events).toEqual([{ type: 'done', stopReason: 'aborted', inputTokens: 0, outputTokens: 0 }]);
  });

  it('keeps working after a consumer stops reading early', async () => {
    for await (const e of engine.stream(request({ maxOutputTokens: 900 }))) {
      if (e.type === 'text') break;
    }
    const events = await collect(engine.stream(request()));
    expect(events.at(-1)).toMatchObject({ type: 'done', stopReason: 'length' });
  });

  it('tokenizes with the model vocabulary', async () => {
    const tokens = await engine.tokenize(modelPath, 'the river');
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((t) => Number.isInteger(t))).toBe(true);
  });

  it('embeds each text into a vector of the model\'s embedding length, deterministically', async () => {
    const texts = ['the river', 'a cold mountain wind', 'the river'];
    const { embeddings, inputTokens } = await engine.embed(modelPath, texts, { loadOptions: { contextSize: 1024 } });
    expect(embeddings).toHaveLength(3);
    for (const vector of embeddings) {
      expect(vector).toHaveLength(64); // the tiny preset's embedding length
      expect(vector.every(Number.isFinite)).toBe(true);
    }
    expect(embeddings[2]).toEqual(embeddings[0]);
    expect(embeddings[1]).not.toEqual(embeddings[0]);
    // Every text is tokenized and counted, with the BOS/EOS the model adds.
    const tokenized = await Promise.all(texts.map((t) => engine.tokenize(modelPath, t)));
    const plain = tokenized.reduce((sum, t) => sum + t.length, 0);
    expect(inputTokens).toBeGreaterThanOrEqual(plain);
    expect(inputTokens).toBeLessThanOrEqual(plain + 2 * texts.length);
    // The same text in a later call (after other work on the context) gives the same vector.
    expect((await engine.embed(modelPath, ['the river'])).embeddings[0]).toEqual(embeddings[0]);
  });

  it('embeds while a stream runs on the same model, taking turns', async () => {
    const [events, result] = await Promise.all([collect(engine.stream(request({ maxOutputTokens: 16 }))), engine.embed(modelPath, ['the river'])]);
    expect(events.at(-1)).toMatchObject({ type: 'done', stopReason: 'length', outputTokens: 16 });
    expect(result.embeddings[0]).toHaveLength(64);
  });

  it('answers an empty list at once, and refuses an empty text naming it', async () => {
    expect(await engine.embed(modelPath, [])).toEqual({ embeddings: [], inputTokens: 0 });
    const error = await rejection(engine.embed(modelPath, ['the river', '']));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toContain('Text 2 of 2 is empty');
  });

  it('refuses a text longer than the embedding context, naming the limit', async () => {
    const long = 'the river runs past the cold mountain. '.repeat(300);
    const error = await rejection(engine.embed(modelPath, ['short', long]));
    expect(error.kind).toBe('context_length');
    expect(error.message).toMatch(/Text 2 of 2 is \d+ tokens; .* at most 1023 tokens/);
  });

  it('an aborted embedding rejects with aborted and leaves the engine usable', async () => {
    expect((await rejection(engine.embed(modelPath, ['x'], { signal: AbortSignal.abort() }))).kind).toBe('aborted');
    const controller = new AbortController();
    const pending = engine.embed(modelPath, Array.from({ length: 400 }, (_, i) => `text number ${i}`), { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await rejection(pending)).kind).toBe('aborted');
    expect((await engine.embed(modelPath, ['the river'])).embeddings).toHaveLength(1);
  });

  it('reports status', async () => {
    const status = await engine.status();
    expect(status.backend).toBe('cpu');
    expect(status.threads).toBe(1);
    expect(status.pid).toBeGreaterThan(0);
    expect(status.pid).not.toBe(process.pid);
    expect(status.vram).toBeNull();
    expect(status.ram.total).toBeGreaterThan(0);
    expect(status.models.map((m) => m.path)).toContain(modelPath);
    expect(status.restarts).toBe(0);
  });

  it('unload stops streams on the model and frees it; the next stream loads it again', async () => {
    const events: EngineStreamEvent[] = [];
    let unloading: Promise<void> | undefined;
    for await (const e of engine.stream(request({ maxOutputTokens: 900 }))) {
      events.push(e);
      if (e.type === 'text' && !unloading) unloading = engine.unload(modelPath);
    }
    await unloading;
    expect(events.at(-1)).toMatchObject({ type: 'done', stopReason: 'aborted' });
    expect((await engine.status()).models).toEqual([]);
    const again = await collect(engine.stream(request({ maxOutputTokens: 4 })));
    expect(again.at(-1)).toMatchObject({ type: 'done', stopReason: 'length' });
    expect((await engine.status()).models.map((m) => m.path)).toEqual([modelPath]);
  });

  it('unload during an embedding fails it clearly, and the next one loads the model again', async () => {
    const pending = engine.embed(modelPath, Array.from({ length: 1000 }, (_, i) => `text number ${i} about the river`));
    const failed = rejection(pending);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await engine.unload(modelPath);
    const error = await failed;
    expect(error.kind).toBe('server');
    expect(error.message).toMatch(/unloaded during the embedding request/);
    expect((await engine.embed(modelPath, ['the river'], { loadOptions: { contextSize: 1024 } })).embeddings[0]).toHaveLength(64);
  });

  it('refuses an unknown path with not_found naming the file', async () => {
    const missing = join(dir, 'nope.gguf');
    const error = await rejection(engine.load(missing));
    expect(error.kind).toBe('not_found');
    expect(error.message).toContain(missing);
    const events = await collect(engine.stream(request({ modelPath: missing })));
    expect(events).toEqual([{ type: 'error', kind: 'not_found', message: expect.stringContaining(missing) }]);
  });

  it('refuses a truncated GGUF with a clear error, and keeps working', async () => {
    const { pid } = await engine.status();
    const path = join(dir, 'truncated.gguf');
    const bytes = await readFile(modelPath);
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await rejection(engine.load(path));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toMatch(/truncated/);
    // A file cut inside its header is refused too.
    await truncate(path, 100);
    expect((await rejection(engine.load(path))).kind).toBe('bad_request');
    expect((await engine.status()).pid).toBe(pid);
  });

  it('refuses a GGUF missing a key whose absence would abort llama.cpp', async () => {
    const { pid } = await engine.status();
    const path = join(dir, 'no-head-count.gguf');
    await writeFile(path, renameMetadataKey(await readFile(modelPath), 'llama.attention.head_count', 'llama.attention.head_cXunt'));
    const error = await rejection(engine.load(path));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toContain('llama.attention.head_count');
    const events = await collect(engine.stream(request({ modelPath: path })));
    expect(events).toMatchObject([{ type: 'error', kind: 'bad_request' }]);
    expect((await engine.status()).pid).toBe(pid);
  });

  it('turns a killed worker into engine_crashed, and the next request restarts it', async () => {
    const before = await engine.status();
    const events: EngineStreamEvent[] = [];
    for await (const e of engine.stream(request({ maxOutputTokens: 900 }))) {
      events.push(e);
      if (events.length === 1 && before.pid !== null) process.kill(before.pid, 'SIGKILL');
    }
    expect(events.at(-1)).toMatchObject({ type: 'error', kind: 'engine_crashed' });
    expect(events.filter((e) => e.type === 'done')).toHaveLength(0);

    const again = await collect(engine.stream(request()));
    expect(again.at(-1)).toMatchObject({ type: 'done', stopReason: 'length' });
    const after = await engine.status();
    expect(after.restarts).toBe(1);
    expect(after.pid).not.toBe(before.pid);
  });

  it('rejects pending calls when the worker dies', async () => {
    const { pid } = await engine.status();
    // SIGKILL lands before the worker runs again, so this call can never be answered.
    if (pid !== null) process.kill(pid, 'SIGKILL');
    const error = await rejection(engine.status());
    expect(error.kind).toBe('engine_crashed');
    expect(error.message).toMatch(/exited unexpectedly/);
    expect((await engine.status()).restarts).toBe(2);
  });

  it('dispose stops the worker; a later call starts a new one', async () => {
    const { pid } = await engine.status();
    await engine.dispose();
    expect(pid !== null && isAlive(pid)).toBe(false);
    const status = await engine.status();
    expect(status.pid).not.toBe(pid);
    expect(status.restarts).toBe(2); // a dispose is not a crash
  });
  it('a worker dying mid-embedding rejects the call with engine_crashed', async () => {
    const { pid } = await engine.status();
    await engine.embed(modelPath, ['warm'], { loadOptions: { contextSize: 1024 } }); // model and embedding context ready
    // About 2 ms a text on the tiny model, so the kill lands well inside this call.
    const pending = engine.embed(modelPath, Array.from({ length: 1000 }, (_, i) => `text number ${i} about the river`));
    setTimeout(() => pid !== null && process.kill(pid, 'SIGKILL'), 50);
    const error = await rejection(pending);
    expect(error.kind).toBe('engine_crashed');
    expect(error.message).toMatch(/exited unexpectedly/);
    // The restart is covered above; not paying for another here.
  });
});

describe('engine lifetime', () => {
  it('an idle worker does not keep its host alive, and leaves with it', async () => {
    const script = join(import.meta.dirname, '__fixtures__', 'forgetful-host.ts');
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const { stdout } = await run(process.execPath, ['--import', tsx, script]);
    const { workerPid } = JSON.parse(stdout.trim()) as { workerPid: number };
    await expect.poll(() => isAlive(workerPid), { timeout: 5_000 }).toBe(false);
  });
});

/** Renames one metadata key in place (same length), leaving a valid GGUF without that key. */
function renameMetadataKey(file: Buffer, from: string, to: string): Buffer {
  const needle = Buffer.alloc(8 + from.length);
  needle.writeBigUInt64LE(BigInt(from.length));
  needle.write(from, 8);
  const at = file.indexOf(needle);
  if (at < 0 || to.length !== from.length) throw new Error(`key ${from} not found`);
  const out = Buffer.from(file);
  out.write(to, at + 8);
  return out;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
