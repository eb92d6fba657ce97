import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectStream, generate, ProviderError, type StreamPart } from '../../../shared/llm';
import { startOpenAIWire } from '../../../../test/wire/openai-wire';
import type { WireServer } from '../../../../test/wire/scenario';
import { createOpenAI, type OpenAIProviderSettings } from './create-openai';

const key = 'sk-test-LEAKCHECK-chat-model-000111';
const prompt = { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };

let server: WireServer;
beforeEach(async () => {
  server = await startOpenAIWire();
});
afterEach(async () => {
  await server.close();
});

const provider = (settings: OpenAIProviderSettings = {}) => createOpenAI({ baseURL: server.baseURL, apiKey: key, apiKeyEnvVar: null, ...settings });
const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;

describe('OpenAIChatModel against the OpenAI wire server', () => {
  it('streams text with metadata, usage and warnings, and sends the request OpenAI expects', async () => {
    server.enqueue({ text: ['Hel', 'lo'], usage: { input: 11, output: 2, cacheRead: 4 }, finish: 'stop' });
    const model = provider().languageModel('gpt-4o-mini');
    expect(model.provider).toBe('openai');
    expect(model.capabilities).toMatchObject({ vision: true, tools: true, json: true, reasoning: false });
    const result = await generate(model, { ...prompt, temperature: 0.5, topK: 3, maxOutputTokens: 50, providerOptions: { openai: { user: 'user-42' } } });
    expect(result.text).toBe('Hello');
    expect(result.warnings).toEqual([{ type: 'unsupported', feature: 'topK', details: expect.any(String) }]);
    expect(result.responseId).toMatch(/^chatcmpl-/);
    expect(result.usage.inputTokens).toEqual({ total: 11, noCache: 7, cacheRead: 4, cacheWrite: undefined });
    expect(lastBody()).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.5,
      max_tokens: 50,
      user: 'user-42',
    });
    expect(lastBody()).not.toHaveProperty('top_k');
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${key}`);
  });

  it('calls a reasoning model with max_completion_tokens and reasoning_effort, dropping temperature with a warning', async () => {
    server.enqueue({ text: ['4'], usage: { input: 9, output: 70, reasoning: 64 }, finish: 'stop' });
    const model = provider().languageModel('o3-mini');
    expect(model.capabilities.reasoning).toBe(true);
    const result = await generate(model, { ...prompt, system: 'Answer with a digit.', temperature: 1, maxOutputTokens: 500, reasoning: { effort: 'low' } });
    expect(result.warnings).toEqual([{ type: 'unsupported', feature: 'temperature', details: expect.any(String) }]);
    expect(result.usage.outputTokens).toEqual({ total: 70, text: 6, reasoning: 64 });
    const body = lastBody();
    expect(body).toMatchObject({ max_completion_tokens: 500, reasoning_effort: 'low' });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('max_tokens');
    expect((body.messages as unknown[])[0]).toEqual({ role: 'developer', content: 'Answer with a digit.' });
  });

  it('sends image URLs and data URLs, JSON schema output and tool choice', async () => {
    server.enqueue({ text: ['{"n":1}'], finish: 'stop' });
    await generate(provider().languageModel('gpt-4o'), {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', mediaType: 'image/png', url: 'https://example.com/a.png' },
            { type: 'image', mediaType: 'image/webp', data: 'UklGRg==' },
          ],
        },
      ],
      responseFormat: { type: 'json-schema', name: 'count', schema: { type: 'object' } },
      tools: [{ name: 'count', inputSchema: { type: 'object' } }],
      toolChoice: { type: 'tool', toolName: 'count' },
    });
    const body = lastBody();
    expect(JSON.stringify(body.messages)).toContain('https://example.com/a.png');
    expect(JSON.stringify(body.messages)).toContain('data:image/webp;base64,UklGRg==');
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'count', schema: { type: 'object' }, strict: false } });
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'count' } });
  });

  it('sends the provider headers, the call headers and the organization', async () => {
    server.enqueue({ text: ['ok'], finish: 'stop' });
    await generate(provider({ headers: { 'X-Team': 'ml' }, organization: 'org-wire', query: { 'api-version': '2025-01-01' } }).languageModel('gpt-4o'), {
      ...prompt,
      headers: { 'X-Request-Tag': 'contract' },
    });
    const request = server.requests.at(-1);
    expect(request?.headers['x-team']).toBe('ml');
    expect(request?.headers['x-request-tag']).toBe('contract');
    expect(request?.headers['openai-organization']).toBe('org-wire');
    expect(request?.path).toBe('/v1/chat/completions?api-version=2025-01-01');
  });

  it('without include_usage, usage stays unknown; presets can read extra usage fields', async () => {
    server.enqueue({ text: ['a'], usage: { input: 3, output: 1 }, finish: 'stop' });
    const quiet = await generate(provider({ compat: { includeUsage: false } }).languageModel('m'), prompt);
    expect(lastBody()).not.toHaveProperty('stream_options');
    expect(quiet.usage).toEqual({ inputTokens: {}, outputTokens: {} });

    server.enqueue({ text: ['a'], usage: { input: 3, output: 1, costUsd: 0.0021 }, finish: 'stop' });
    const priced = await generate(
      provider({ provider: 'openrouter', compat: { readUsageExtras: (u) => (typeof u.cost === 'number' ? { costUsd: u.cost } : undefined) } }).languageModel(
        'openai/gpt-4o-mini',
      ),
      prompt,
    );
    expect(priced.usage.raw).toMatchObject({ cost: 0.0021, costUsd: 0.0021 });
  });

  it('reads reasoning only from the fields a preset names', async () => {
    server.enqueue({ reasoning: ['think'], text: ['done'], finish: 'stop' });
    const none = await generate(provider({ compat: { reasoningContentField: [] } }).languageModel('m'), prompt);
    expect(none.reasoning).toBe('');
    expect(none.text).toBe('done');
  });

  it('a missing key is an auth error at call time that names the setting, and the env var is read then', async () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      const openai = createOpenAI({ baseURL: server.baseURL });
      const model = openai.languageModel('gpt-4o');
      const error = await model.stream(prompt).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({
        kind: 'auth',
        retryable: false,
        provider: 'openai',
        message: 'OpenAI API key missing: set providers.openai.apiKey or OPENAI_API_KEY.',
      });
      const named = await createOpenAI({ provider: 'lab', apiKeySetting: 'providers.lab.apiKey', baseURL: server.baseURL }).languageModel('m').stream(prompt).catch((e: unknown) => e);
      expect((named as ProviderError).message).toBe('lab API key missing: set providers.lab.apiKey.');

      process.env.OPENAI_API_KEY = 'sk-test-from-env-0000';
      server.enqueue({ text: ['env'], finish: 'stop' });
      expect((await generate(model, prompt)).text).toBe('env');
      expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test-from-env-0000');
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });

  it('a keyless server works when the preset says no key is needed', async () => {
    server.enqueue({ text: ['local'], finish: 'stop' });
    const result = await generate(createOpenAI({ provider: 'lab', baseURL: server.baseURL, requireApiKey: false }).languageModel('qwen'), prompt);
    expect(result.text).toBe('local');
  });

  it('cancelling the reader closes the request, and the next call works', async () => {
    server.enqueue({ text: Array.from({ length: 100 }, () => 'x'), delayMs: 10, finish: 'stop' });
    const model = provider().languageModel('gpt-4o');
    const { stream } = await model.stream(prompt);
    const reader = stream.getReader();
    let part: StreamPart | undefined;
    do part = (await reader.read()).value;
    while (part?.type !== 'text-delta');
    await reader.cancel();
    server.enqueue({ text: ['again'], finish: 'stop' });
    expect((await collectStream((await model.stream(prompt)).stream)).text).toBe('again');
  });

  it('lists the server models', async () => {
    const models = await provider().listModels();
    expect(models.map((m) => m.id)).toContain('gpt-4o-mini');
    expect(models[0]).toMatchObject({ ownedBy: 'system', created: expect.any(Number), raw: expect.any(Object) });
    server.enqueue({ fault: { kind: 'status', status: 401 } });
    await expect(provider().listModels()).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });
});
