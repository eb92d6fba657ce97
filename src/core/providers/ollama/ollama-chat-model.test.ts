import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectStream, generate, ProviderError, type StreamPart } from '../../../shared/llm';
import { startOllamaWire, type OllamaWire } from '../../../../test/wire/ollama-wire';
import { createOllama } from './create-ollama';

let wire: OllamaWire;
beforeEach(async () => {
  wire = await startOllamaWire();
});
afterEach(async () => {
  await wire.close();
});

const prompt = { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Why is the sky blue?' }] }] };

async function partsOf(stream: ReadableStream<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

describe('OllamaChatModel (real ollama client, Ollama wire server)', () => {
  it('streams thinking as reasoning parts, then text, with usage and the raw done reason', async () => {
    wire.enqueue({ reasoning: ['Light ', 'scatters.'], text: ['Rayleigh ', 'scattering.'], usage: { input: 11, output: 9 }, finish: 'stop' });
    const model = createOllama({ baseURL: wire.baseURL }).languageModel('llama3.2');
    const parts = await partsOf((await model.stream({ ...prompt, reasoning: { budgetTokens: 100 } })).stream);
    expect(parts.map((p) => p.type)).toEqual([
      'stream-start',
      'response-metadata',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-delta',
      'reasoning-end',
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'finish',
    ]);
    expect(parts[0]).toEqual({ type: 'stream-start', warnings: [{ type: 'unsupported', feature: 'reasoning.budgetTokens', details: expect.any(String) }] });
    expect(parts[1]).toMatchObject({ type: 'response-metadata', modelId: 'llama3.2', timestamp: expect.any(Number) });
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { inputTokens: { total: 11 }, outputTokens: { total: 9, text: undefined, reasoning: undefined } },
    });
    const body = wire.requests[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'llama3.2', stream: true, think: true });
  });

  it('sends options, format, images and tools in Ollama form', async () => {
    wire.enqueue({ toolCalls: [{ id: 'x', name: 'lookup', arguments: '{"q":"sky"}' }], usage: { input: 20, output: 5 }, finish: 'tool-calls' });
    const model = createOllama({ baseURL: wire.baseURL, headers: { 'X-Team': 'ml' } }).languageModel('llava');
    const result = await generate(model, {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' }] }],
      system: 'Be brief.',
      temperature: 0.1,
      maxOutputTokens: 64,
      seed: 3,
      responseFormat: { type: 'json' },
      tools: [{ name: 'lookup', description: 'Search', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }],
      providerOptions: { ollama: { num_ctx: 4096 } },
    });
    expect(result.toolCalls).toEqual([{ toolCallId: expect.stringMatching(/^call_/), toolName: 'lookup', input: '{"q":"sky"}' }]);
    expect(result.finishReason).toEqual({ unified: 'tool-calls', raw: 'stop' });
    const request = wire.requests[0];
    expect(request?.headers['x-team']).toBe('ml');
    expect(request?.body).toMatchObject({
      model: 'llava',
      format: 'json',
      options: { temperature: 0.1, num_predict: 64, seed: 3, num_ctx: 4096 },
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Look', images: ['iVBORw0KGgo='] },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', description: 'Search' } }],
    });
  });

  it('says Ollama is not running when nothing listens at the base URL', async () => {
    const port = await freePort();
    const model = createOllama({ baseURL: `http://127.0.0.1:${port}` }).languageModel('llama3.2');
    const error = await model.stream(prompt).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'connection', retryable: true, provider: 'ollama' });
    expect((error as ProviderError).message).toContain(`Ollama isn't running at http://127.0.0.1:${port}`);
  });

  it("passes Ollama's own error message through, with its kind", async () => {
    wire.enqueue({ fault: { kind: 'status', status: 404, message: 'model "nope" not found, try pulling it first' } });
    const error = await createOllama({ baseURL: wire.baseURL })
      .languageModel('nope')
      .stream(prompt)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ kind: 'not_found', status: 404, message: 'Ollama answered 404: model "nope" not found, try pulling it first' });
  });

  it('an answer slower than timeoutMs (idle, no first chunk) rejects with a retryable timeout', async () => {
    wire.enqueue({ text: ['slow ', 'answer'], delayMs: 400, finish: 'stop' });
    const model = createOllama({ baseURL: wire.baseURL, timeoutMs: 150 }).languageModel('llama3.2');
    const error = await model.stream(prompt).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'timeout', retryable: true, provider: 'ollama' });
  });

  it('a stream that keeps sending chunks outlives timeoutMs: the timeout is per idle gap, not per answer', async () => {
    wire.enqueue({ text: Array.from({ length: 20 }, () => 'tick '), delayMs: 20, finish: 'stop' });
    const model = createOllama({ baseURL: wire.baseURL, timeoutMs: 200 }).languageModel('llama3.2');
    const result = await collectStream((await model.stream(prompt)).stream);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('tick '.repeat(20));
  });

  it('cancelling the reader aborts the request', async () => {
    wire.enqueue({ text: Array.from({ length: 100 }, () => 'word '), delayMs: 10, finish: 'stop' });
    const { stream } = await createOllama({ baseURL: wire.baseURL }).languageModel('llama3.2').stream(prompt);
    const reader = stream.getReader();
    for (;;) {
      const { value } = await reader.read();
      if (value?.type === 'text-delta') break;
    }
    await reader.cancel();
    // The server is free for the next call.
    const result = await generate(createOllama({ baseURL: wire.baseURL }).languageModel('llama3.2'), prompt);
    expect(result.text).toBe('Hello from the wire.');
  });

  it('sends the API key as a bearer token and never repeats it in errors', async () => {
    const apiKey = 'ollama-key-LEAKCHECK-42';
    wire.enqueue({ fault: { kind: 'status', status: 401, message: `unauthorized: ${apiKey}` } });
    const error = await createOllama({ baseURL: wire.baseURL, apiKey })
      .languageModel('llama3.2')
      .stream(prompt)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect((error as ProviderError).message).not.toContain(apiKey);
    expect(wire.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
