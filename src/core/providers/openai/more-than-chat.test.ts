import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embedText, startOpenAIWire, WIRE_PNG } from '../../../../test/wire/openai-wire';
import type { WireServer } from '../../../../test/wire/scenario';
import { createOpenAI } from './create-openai';

const key = 'sk-test-LEAKCHECK-more-than-chat-42';
let server: WireServer;
beforeEach(async () => {
  server = await startOpenAIWire();
});
afterEach(async () => {
  await server.close();
});
const openai = () => createOpenAI({ baseURL: server.baseURL, apiKey: key, apiKeyEnvVar: null });
const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;

describe('OpenAI embeddings through the SDK', () => {
  it('returns one vector per text, in order, with usage', async () => {
    const model = openai().embeddingModel('text-embedding-3-small');
    const result = await model.embed(['the cat sat', 'on the mat', 'the cat sat']);
    expect(result.embeddings).toHaveLength(3);
    expect(result.embeddings[0]).toHaveLength(8);
    // The SDK asks for base64 and decodes it; the vectors arrive as the server made them.
    for (const [a, b] of (result.embeddings[0] ?? []).map((v, i) => [v, embedText('the cat sat', 8)[i]])) expect(a).toBeCloseTo(b as number, 6);
    expect(result.embeddings[0]).toEqual(result.embeddings[2]);
    expect(result.embeddings[0]).not.toEqual(result.embeddings[1]);
    expect(result.usage.inputTokens).toBe(9);
    expect(result.modelId).toBe('text-embedding-3-small');
    expect(lastBody()).toMatchObject({ model: 'text-embedding-3-small', input: ['the cat sat', 'on the mat', 'the cat sat'] });
    expect(model.maxEmbeddingsPerCall).toBe(2048);
  });

  it('passes dimensions, and answers nothing for no texts without a request', async () => {
    const model = openai().embeddingModel('text-embedding-3-large');
    expect((await model.embed(['x'], { dimensions: 4 })).embeddings[0]).toHaveLength(4);
    expect(lastBody()).toMatchObject({ dimensions: 4 });
    const before = server.requests.length;
    expect(await model.embed([])).toEqual({ embeddings: [], usage: { inputTokens: 0 }, modelId: 'text-embedding-3-large' });
    expect(server.requests).toHaveLength(before);
  });

  it('maps faults to ProviderErrors without the key', async () => {
    server.enqueue({ fault: { kind: 'status', status: 429, retryAfter: 2, message: `slow down ${key}` } });
    const error = await openai().embeddingModel('text-embedding-3-small').embed(['x']).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 2000, provider: 'openai' });
    expect((error as Error).message).not.toContain(key);
  });
});

describe('OpenAI image generation through the SDK', () => {
  it('returns base64 images; DALL·E is asked for b64_json', async () => {
    const result = await openai().imageModel('dall-e-3').generate({ prompt: 'a red dot', size: '1024x1024', n: 2 });
    expect(result.images).toEqual([
      { base64: WIRE_PNG, mediaType: 'image/png', revisedPrompt: 'a red dot' },
      { base64: WIRE_PNG, mediaType: 'image/png', revisedPrompt: 'a red dot' },
    ]);
    expect(result.usage).toEqual({ inputTokens: undefined, outputTokens: undefined });
    expect(lastBody()).toMatchObject({ model: 'dall-e-3', prompt: 'a red dot', size: '1024x1024', n: 2, response_format: 'b64_json' });
  });

  it('gpt-image models are not sent response_format, and report token usage', async () => {
    const result = await openai().imageModel('gpt-image-1').generate({ prompt: 'a blue square', quality: 'low', providerOptions: { openai: { output_format: 'webp' } } });
    expect(result.images).toHaveLength(1);
    expect(result.images[0]?.mediaType).toBe('image/webp');
    expect(result.usage).toEqual({ inputTokens: 3, outputTokens: 272 });
    expect(lastBody()).not.toHaveProperty('response_format');
    expect(lastBody()).toMatchObject({ quality: 'low', output_format: 'webp' });
  });

  it('maps a server error', async () => {
    server.enqueue({ fault: { kind: 'status', status: 500 } });
    await expect(openai().imageModel('gpt-image-1').generate({ prompt: 'x' })).rejects.toMatchObject({ kind: 'server', retryable: true });
  });
});

describe('OpenAI moderation through the SDK', () => {
  it('flags inputs by category, with scores', async () => {
    const result = await openai().moderate(['I will attack the castle', 'a nice walk']);
    expect(result.modelId).toBe('omni-moderation-latest');
    expect(result.results[0]).toMatchObject({ flagged: true, categories: ['violence'] });
    expect(result.results[0]?.scores.violence).toBeGreaterThan(0.5);
    expect(result.results[1]).toMatchObject({ flagged: false, categories: [] });
    expect(lastBody()).toEqual({ model: 'omni-moderation-latest', input: ['I will attack the castle', 'a nice walk'] });
  });

  it('takes another model and a single string', async () => {
    const result = await openai().moderationModel('text-moderation-latest').moderate('you idiot');
    expect(result.results).toEqual([expect.objectContaining({ flagged: true, categories: ['harassment'] })]);
  });

  it('a missing key fails at call time', async () => {
    await expect(createOpenAI({ baseURL: server.baseURL, apiKeyEnvVar: null }).moderate('x')).rejects.toMatchObject({ kind: 'auth' });
  });
});
