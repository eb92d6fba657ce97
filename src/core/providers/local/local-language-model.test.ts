import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, generate, type StreamPart } from '../../../shared/llm';
import type { Engine } from '../../engine/engine';
import { createEngine } from '../../engine/engine-client';
import { writeTestModel } from '../../models/test-model';
import { LocalEmbeddingModel } from './local-embedding-model';
import { LocalLanguageModel } from './local-language-model';

let dir: string;
let engine: Engine;
let model: LocalLanguageModel;
let embedder: LocalEmbeddingModel;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-provider-'));
  const { path } = await writeTestModel(join(dir, 'tiny.gguf'), { seed: 4 });
  engine = createEngine({ gpu: false, threads: 1 });
  model = new LocalLanguageModel({ engine, modelId: 'local/tiny', modelPath: path, loadOptions: { contextSize: 1024 } });
  embedder = new LocalEmbeddingModel({ engine, modelId: 'local/tiny', modelPath: path, loadOptions: { contextSize: 1024 } });
});

afterAll(async () => {
  await engine?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const prompt = { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Tell me a story.' }] }] };

async function parts(stream: ReadableStream<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

describe('LocalLanguageModel (real engine, tiny model)', () => {
  it('streams the spec parts in order with usage and finish reason', async () => {
    const { stream } = await model.stream({ ...prompt, maxOutputTokens: 40, temperature: 0.7, seed: 1 });
    const all = await parts(stream);
    const types = all.map((p) => p.type);
    expect(types[0]).toBe('stream-start');
    expect(types[1]).toBe('response-metadata');
    expect(types[2]).toBe('text-start');
    expect(types.filter((t) => t === 'text-delta').length).toBeGreaterThan(0);
    expect(types.slice(-2)).toEqual(['text-end', 'finish']);
    expect(types.filter((t) => t === 'finish')).toHaveLength(1);
    expect(all[1]).toMatchObject({ type: 'response-metadata', modelId: 'local/tiny' });
    const finish = all.at(-1);
    expect(finish).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'length', raw: 'length' },
      // A fresh prompt: nothing reused from the cache, cache writes unknown.
      usage: { outputTokens: { total: 40, text: 40, reasoning: undefined }, inputTokens: { cacheRead: 0, cacheWrite: undefined } },
    });
    const input = finish?.type === 'finish' ? finish.usage.inputTokens : undefined;
    expect(input?.total).toBeGreaterThan(0);
    expect(input?.noCache).toBe(input?.total);
  });

  it('reports unsupported options as warnings and still answers', async () => {
    const result = await generate(model, {
      ...prompt,
      maxOutputTokens: 8,
      tools: [{ name: 'clock', inputSchema: { type: 'object' } }],
      responseFormat: { type: 'json-schema', schema: { type: 'object' } },
      reasoning: { effort: 'low' },
    });
    expect(result.warnings).toEqual([
      { type: 'unsupported', feature: 'tools', details: expect.any(String) },
      { type: 'unsupported', feature: 'responseFormat', details: expect.any(String) },
      { type: 'unsupported', feature: 'reasoning' },
    ]);
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.finishReason.unified).toBe('length');
  });

  it('maps a stop sequence to stop', async () => {
    const result = await generate(model, { ...prompt, stop: ['e'], maxOutputTokens: 200 });
    expect(result.finishReason).toEqual({ unified: 'stop', raw: 'stop-sequence' });
  });

  it('honours the abort signal', async () => {
    const controller = new AbortController();
    const { stream } = await model.stream({ ...prompt, maxOutputTokens: 900, abortSignal: controller.signal });
    const seen: StreamPart[] = [];
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen.push(value);
      if (value.type === 'text-delta') controller.abort();
    }
    expect(seen.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'aborted' } });
    expect(seen.filter((p) => p.type === 'error')).toHaveLength(0);
  });

  it('turns an engine error into an error part and a finish with error', async () => {
    const missing = new LocalLanguageModel({ engine, modelId: 'local/missing', modelPath: join(dir, 'missing.gguf') });
    const { stream } = await missing.stream(prompt);
    const all = await parts(stream);
    expect(all.map((p) => p.type)).toEqual(['stream-start', 'response-metadata', 'error', 'finish']);
    expect(all[2]).toMatchObject({ type: 'error', error: { kind: 'not_found', provider: 'local', retryable: false } });
    expect(all[3]).toMatchObject({ type: 'finish', finishReason: { unified: 'error' }, usage: { inputTokens: {}, outputTokens: {} } });
  });

  it('reports a crash mid-stream as engine_crashed, after the text so far', async () => {
    const { pid } = await engine.status();
    const { stream } = await model.stream({ ...prompt, maxOutputTokens: 900 });
    const reader = stream.getReader();
    const seen: StreamPart[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen.push(value);
      if (value.type === 'text-delta' && seen.filter((p) => p.type === 'text-delta').length === 1 && pid !== null) {
        process.kill(pid, 'SIGKILL');
      }
    }
    const types = seen.map((p) => p.type);
    expect(types.slice(-3)).toEqual(['text-end', 'error', 'finish']);
    expect(seen.at(-2)).toMatchObject({ type: 'error', error: { kind: 'engine_crashed', retryable: true, provider: 'local' } });
    // The next call works on a fresh worker.
    const again = await collectStream((await model.stream({ ...prompt, maxOutputTokens: 5 })).stream);
    expect(again.finishReason.unified).toBe('length');
  });

  it('cancelling the stream stops generation and the engine stays usable', async () => {
    const { stream } = await model.stream({ ...prompt, maxOutputTokens: 900 });
    const reader = stream.getReader();
    for (;;) {
      const { value } = await reader.read();
      if (value?.type === 'text-delta') break;
    }
    await reader.cancel();
    const result = await generate(model, { ...prompt, maxOutputTokens: 5 });
    expect(result.finishReason.unified).toBe('length');
  });
});

// Same engine as above; the crash test comes last so no test pays for another restart.
describe('LocalEmbeddingModel (real engine, tiny model)', () => {
  it('returns one vector per text with usage, like the other providers', async () => {
    const result = await embedder.embed(['the river', 'a mountain', 'the river']);
    expect(embedder).toMatchObject({ provider: 'local', modelId: 'local/tiny', maxEmbeddingsPerCall: undefined });
    expect(result.modelId).toBe('local/tiny');
    expect(result.embeddings.map((v) => v.length)).toEqual([64, 64, 64]);
    expect(result.embeddings[2]).toEqual(result.embeddings[0]);
    expect(result.embeddings[1]).not.toEqual(result.embeddings[0]);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    // Asking for the model's own length is fine; any other is refused, not silently cut.
    expect((await embedder.embed(['the river'], { dimensions: 64 })).embeddings[0]).toEqual(result.embeddings[0]);
    await expect(embedder.embed(['the river'], { dimensions: 32 })).rejects.toMatchObject({ kind: 'bad_request', provider: 'local' });
  });

  it('answers an empty list without the engine, and maps engine errors', async () => {
    expect(await embedder.embed([])).toEqual({ embeddings: [], usage: { inputTokens: 0 }, modelId: 'local/tiny' });
    const missing = new LocalEmbeddingModel({ engine, modelId: 'local/missing', modelPath: join(dir, 'missing.gguf') });
    await expect(missing.embed(['x'])).rejects.toMatchObject({ kind: 'not_found', provider: 'local', retryable: false });
    await expect(embedder.embed(['x'], { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('a crash mid-embedding rejects with a retryable engine_crashed', async () => {
    const { pid } = await engine.status();
    const pending = embedder.embed(Array.from({ length: 1000 }, (_, i) => `text number ${i} about the river`));
    setTimeout(() => pid !== null && process.kill(pid, 'SIGKILL'), 50);
    await expect(pending).rejects.toMatchObject({ kind: 'engine_crashed', retryable: true, provider: 'local' });
  });
});
