import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../shared/llm';
import { startOllamaWire, OLLAMA_WIRE_VERSION, type OllamaWire } from '../../../../test/wire/ollama-wire';
import type { OllamaPullProgress } from './convert-ollama-models';
import { createOllama, type OllamaProvider } from './create-ollama';

let wire: OllamaWire;
let ollama: OllamaProvider;
beforeEach(async () => {
  wire = await startOllamaWire({ pullSteps: 2 });
  ollama = createOllama({ baseURL: wire.baseURL });
});
afterEach(async () => {
  await wire.close();
});

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('Ollama model library (real ollama client, Ollama wire server)', () => {
  it('lists installed models', async () => {
    const models = await ollama.list();
    expect(models.map((m) => m.name)).toEqual(['llama3.2:latest', 'nomic-embed-text:latest']);
    expect(models[0]).toMatchObject({ sizeBytes: 2_019_393_189, details: { family: 'llama', parameterSize: '3.2B', quantizationLevel: 'Q4_K_M', format: 'gguf' } });
    expect(wire.requests[0]).toMatchObject({ method: 'GET', path: '/api/tags' });
  });

  it('shows one model, with context length and capabilities; not_found for one not installed', async () => {
    const info = await ollama.show('llama3.2');
    expect(info).toMatchObject({ name: 'llama3.2', architecture: 'llama', contextLength: 131_072, capabilities: ['completion', 'tools'] });
    expect(info.modelCapabilities).toEqual({ vision: false, tools: true, reasoning: false, json: true, contextWindow: 131_072 });
    expect(await rejection(ollama.show('missing'))).toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('lists the models a chat has loaded', async () => {
    expect(await ollama.ps()).toEqual([]);
    await ollama.embeddingModel('nomic-embed-text:latest').embed(['load me']);
    const running = await ollama.ps();
    expect(running).toHaveLength(1);
    expect(running[0]).toMatchObject({ name: 'nomic-embed-text:latest', sizeVramBytes: 274_302_450, expiresAt: expect.any(String) });
  });

  it('pulls a model, reporting progress through to success, and then lists it', async () => {
    const progress: OllamaPullProgress[] = [];
    await ollama.pull('qwen2.5:0.5b', { onProgress: (p) => progress.push(p) });
    expect(progress[0]).toEqual({ status: 'pulling manifest' });
    const downloads = progress.filter((p) => p.status.startsWith('downloading'));
    // 3 layers × 2 steps each; the last step of each layer is complete.
    expect(downloads).toHaveLength(6);
    expect(downloads[1]).toEqual({ status: expect.stringMatching(/^downloading sha256:/), digest: expect.stringMatching(/^sha256:/), completed: 397_807_936, total: 397_807_936 });
    expect(progress.at(-1)).toEqual({ status: 'success' });
    expect((await ollama.list()).map((m) => m.name)).toContain('qwen2.5:0.5b');
    expect(wire.requests[0]?.body).toMatchObject({ name: 'qwen2.5:0.5b', stream: true });
  });

  it('a pull of a name the registry does not know fails as not_found, after its first progress', async () => {
    const progress: OllamaPullProgress[] = [];
    const error = await rejection(ollama.pull('no-such-model', { onProgress: (p) => progress.push(p) }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'not_found', provider: 'ollama', message: 'Ollama: pull model manifest: file does not exist' });
    expect(progress).toEqual([{ status: 'pulling manifest' }]);
  });

  it('a pull cut mid-way is a connection error; an HTTP error keeps its status', async () => {
    wire.enqueue({ fault: { kind: 'cut', afterEvents: 3 } });
    expect(await rejection(ollama.pull('qwen2.5:0.5b'))).toMatchObject({ kind: 'connection', retryable: true });
    wire.enqueue({ fault: { kind: 'status', status: 500, message: 'disk full' } });
    expect(await rejection(ollama.pull('qwen2.5:0.5b'))).toMatchObject({ kind: 'server', status: 500, message: 'Ollama answered 500: disk full' });
  });

  it('aborting a pull rejects with aborted and stops the download', async () => {
    wire.enqueue({ delayMs: 20 });
    const controller = new AbortController();
    const progress: OllamaPullProgress[] = [];
    const error = await rejection(
      ollama.pull('qwen2.5:0.5b', {
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p);
          if (p.status.startsWith('downloading')) controller.abort();
        },
      }),
    );
    expect(error).toMatchObject({ kind: 'aborted', retryable: false });
    expect(progress.some((p) => p.status === 'success')).toBe(false);
  });

  it('deletes a model; not_found for one that is not there', async () => {
    await ollama.delete('llama3.2:latest');
    expect((await ollama.list()).map((m) => m.name)).toEqual(['nomic-embed-text:latest']);
    expect(wire.requests[0]).toMatchObject({ method: 'DELETE', path: '/api/delete', body: { name: 'llama3.2:latest' } });
    expect(await rejection(ollama.delete('llama3.2:latest'))).toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('embeds many texts in one call, one vector each, in order', async () => {
    const model = ollama.embeddingModel('nomic-embed-text');
    const result = await model.embed(['alpha', 'beta', 'alpha']);
    expect(result.embeddings).toHaveLength(3);
    expect(result.embeddings[0]).toHaveLength(8);
    expect(result.embeddings[0]).toEqual(result.embeddings[2]);
    expect(result.embeddings[0]).not.toEqual(result.embeddings[1]);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.modelId).toBe('nomic-embed-text');
    expect(wire.requests[0]?.body).toEqual({ model: 'nomic-embed-text', input: ['alpha', 'beta', 'alpha'] });
    expect(await model.embed([])).toEqual({ embeddings: [], usage: { inputTokens: undefined }, modelId: 'nomic-embed-text' });
  });

  it('maps faults on the library endpoints too', async () => {
    wire.enqueue({ fault: { kind: 'reset' } });
    expect(await rejection(ollama.list())).toMatchObject({ kind: 'connection' });
    wire.enqueue({ fault: { kind: 'status', status: 429, retryAfter: 2 } });
    expect(await rejection(ollama.embeddingModel('nomic-embed-text').embed(['x']))).toMatchObject({ kind: 'rate_limit', retryAfterMs: 2000 });
    wire.enqueue({ fault: { kind: 'timeout' } });
    expect(await rejection(createOllama({ baseURL: wire.baseURL, timeoutMs: 150 }).ps())).toMatchObject({ kind: 'timeout', retryable: true });
    wire.enqueue({ fault: { kind: 'content-type', contentType: 'text/html' } });
    expect(await rejection(ollama.list())).toMatchObject({ kind: 'server', message: expect.stringContaining('text/html') });
  });

  it('reports the server version', async () => {
    expect(await ollama.version()).toBe(OLLAMA_WIRE_VERSION);
  });
});
