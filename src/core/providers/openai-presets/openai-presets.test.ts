import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PresetsWire, startPresetsWire } from '../../../../test/wire/openai-presets-wire';
import { type LanguageModel, type ProviderErrorData, ProviderError, generate } from '../../../shared/llm';
import { createAzureOpenAI, createDeepSeek, createOpenAICompatible, createOpenRouter } from '.';

const hi = { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };
const header = (wire: PresetsWire, name: string) => wire.requests.at(-1)?.headers[name];

/** The call's error, whether it came before the stream (a rejection) or inside it (an error part). */
async function errorOf(model: LanguageModel): Promise<ProviderErrorData | undefined> {
  try {
    return (await generate(model, hi)).error;
  } catch (error) {
    if (error instanceof ProviderError) return error.toData();
    throw error;
  }
}

describe('Azure OpenAI preset', () => {
  let wire: PresetsWire;
  beforeAll(async () => (wire = await startPresetsWire()));
  afterAll(() => wire.close());

  it('calls <endpoint>/openai/deployments/<deployment>/chat/completions with api-version and api-key', async () => {
    const azure = createAzureOpenAI({ endpoint: `${wire.origin}/`, apiVersion: '2024-10-21', apiKey: 'azure-key-1234' });
    const result = await generate(azure.languageModel('my-gpt4o'), hi);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Hello from the wire.');
    const request = wire.requests.at(-1);
    expect(request?.path).toBe('/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21');
    expect(request?.headers['api-key']).toBe('azure-key-1234');
    expect(request?.headers.authorization).toBeUndefined();
    expect(azure.languageModel('my-gpt4o').provider).toBe('azure');
  });

  it('uses the configured deployment when none is named, and a bearer token instead of a key', async () => {
    const azure = createAzureOpenAI({ endpoint: wire.origin, apiVersion: '2025-01-01-preview', deployment: 'dep-a', bearerToken: 'entra-token' });
    const result = await generate(azure.languageModel(), hi);
    expect(result.error).toBeUndefined();
    expect(wire.requests.at(-1)?.path).toBe('/openai/deployments/dep-a/chat/completions?api-version=2025-01-01-preview');
    expect(header(wire, 'authorization')).toBe('Bearer entra-token');
    expect(header(wire, 'api-key')).toBeUndefined();
  });

  it('without a key fails at call time with an auth error naming the setting', async () => {
    const saved = process.env.AZURE_OPENAI_API_KEY;
    delete process.env.AZURE_OPENAI_API_KEY;
    try {
      const azure = createAzureOpenAI({ endpoint: wire.origin, apiVersion: '2024-10-21', provider: 'work', apiKeySetting: 'providers.work.apiKey' });
      const error = await azure.languageModel('d').stream(hi).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: 'auth', provider: 'work' });
      expect((error as Error).message).toContain('providers.work.apiKey');
      expect((error as Error).message).toContain('AZURE_OPENAI_API_KEY');
    } finally {
      if (saved !== undefined) process.env.AZURE_OPENAI_API_KEY = saved;
    }
  });

  it('maps a 429 with Retry-After', async () => {
    const azure = createAzureOpenAI({ endpoint: wire.origin, apiVersion: '2024-10-21', apiKey: 'k' });
    wire.enqueue({ fault: { kind: 'status', status: 429, retryAfter: 3 } });
    expect(await errorOf(azure.languageModel('d'))).toMatchObject({ kind: 'rate_limit', status: 429, retryable: true, retryAfterMs: 3000, provider: 'azure' });
  });
});

describe('OpenRouter preset', () => {
  let wire: PresetsWire;
  beforeAll(async () => (wire = await startPresetsWire()));
  afterAll(() => wire.close());
  const openrouter = () =>
    createOpenRouter({ apiKey: 'sk-or-test-5678', appName: 'Switchboard', appUrl: 'https://switchboard.example', baseURL: `${wire.origin}/api/v1` });

  it('sends its attribution headers and usage.include, and the cost lands in usage.raw', async () => {
    wire.enqueue({ text: ['Hi'], usage: { input: 12, output: 3, costUsd: 0.00042 } });
    const result = await generate(openrouter().languageModel('openai/gpt-4o-mini'), hi);
    expect(result.error).toBeUndefined();
    const request = wire.requests.at(-1);
    expect(request?.path).toBe('/api/v1/chat/completions');
    expect(request?.headers['http-referer']).toBe('https://switchboard.example');
    expect(request?.headers['x-title']).toBe('Switchboard');
    expect(request?.headers.authorization).toBe('Bearer sk-or-test-5678');
    expect(request?.body).toMatchObject({ model: 'openai/gpt-4o-mini', usage: { include: true }, stream: true });
    expect(result.usage.inputTokens.total).toBe(12);
    expect(result.usage.raw).toMatchObject({ cost: 0.00042 });
  });

  it('lets a caller override usage options through providerOptions', async () => {
    await generate(openrouter().languageModel('x/y'), { ...hi, providerOptions: { openrouter: { usage: { include: false } } } });
    expect(wire.requests.at(-1)?.body).toMatchObject({ usage: { include: false } });
  });

  it('lists the live models with prices per million tokens and context', async () => {
    const models = await openrouter().listModels();
    expect(models.map((m) => m.id)).toEqual(['openai/gpt-4o-mini', 'deepseek/deepseek-r1', 'openrouter/auto']);
    expect(models[0]).toMatchObject({
      name: 'OpenAI: GPT-4o-mini',
      contextWindow: 128000,
      maxOutputTokens: 16384,
      prices: { input: 0.15, output: 0.6, cacheRead: 0.075, request: 0 },
      inputModalities: ['text', 'image'],
    });
    expect(models[1]?.prices).toEqual({ input: 0.4, output: 2, reasoning: 0, request: 0 });
    // "-1" is OpenRouter's "variable": unknown, not a price.
    expect(models[2]?.prices).toEqual({});
    expect(wire.requests.at(-1)?.path).toBe('/api/v1/models');
  });

  it('reads credits', async () => {
    expect(await openrouter().credits()).toEqual({ totalCredits: 25, totalUsage: 7.125, remaining: 17.875 });
    expect(wire.requests.at(-1)?.path).toBe('/api/v1/credits');
  });

  it('maps a credits failure to a ProviderError without the key', async () => {
    wire.enqueue({ fault: { kind: 'status', status: 401, message: 'No auth credentials found for sk-or-test-5678' } });
    const error = await openrouter().credits().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', status: 401, provider: 'openrouter' });
    expect((error as Error).message).not.toContain('sk-or-test-5678');
  });
});

describe('DeepSeek preset', () => {
  let wire: PresetsWire;
  beforeAll(async () => (wire = await startPresetsWire({ usageDialect: 'deepseek' })));
  afterAll(() => wire.close());

  it('streams reasoning_content as reasoning parts and maps the cache-hit usage', async () => {
    const deepseek = createDeepSeek({ apiKey: 'sk-ds-test', baseURL: wire.origin });
    wire.enqueue({ reasoning: ['Let me', ' think.'], text: ['4'], usage: { input: 100, output: 20, cacheRead: 64, reasoning: 15 } });
    const model = deepseek.languageModel('deepseek-reasoner');
    expect(model.capabilities.reasoning).toBe(true);
    const { stream } = await model.stream(hi);
    const parts = [];
    for await (const part of stream) parts.push(part);
    expect(parts.map((p) => p.type).filter((t) => t.startsWith('reasoning'))).toEqual(['reasoning-start', 'reasoning-delta', 'reasoning-delta', 'reasoning-end']);
    const finish = parts.at(-1);
    expect(finish?.type).toBe('finish');
    if (finish?.type !== 'finish') return;
    expect(finish.usage.inputTokens).toEqual({ total: 100, cacheRead: 64, noCache: 36, cacheWrite: undefined });
    expect(finish.usage.outputTokens).toMatchObject({ total: 20, reasoning: 15, text: 5 });
    expect(wire.requests.at(-1)?.path).toBe('/chat/completions');
    expect(header(wire, 'authorization')).toBe('Bearer sk-ds-test');
  });

  it('leaves the cache counts unknown when DeepSeek does not report them', async () => {
    const deepseek = createDeepSeek({ apiKey: 'k', baseURL: wire.origin });
    wire.enqueue({ text: ['ok'], usage: { input: 10, output: 2 } });
    const result = await generate(deepseek.languageModel('deepseek-chat'), hi);
    // No prompt_cache_hit/miss fields in the answer: the split is unknown, not zero.
    expect(result.usage.inputTokens).toEqual({ total: 10, noCache: undefined, cacheRead: undefined, cacheWrite: undefined });
    expect(deepseek.languageModel('deepseek-chat').capabilities.reasoning).toBe(false);
  });
});

describe('OpenAI-compatible preset', () => {
  let wire: PresetsWire;
  beforeAll(async () => (wire = await startPresetsWire()));
  afterAll(() => wire.close());

  it('talks to any base URL with custom headers, and needs no key', async () => {
    const saved = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-openai-must-not-leak';
    try {
      const lab = createOpenAICompatible({ name: 'lab', baseURL: `${wire.origin}/v1`, headers: { 'X-Team': 'ml' }, timeoutMs: 5000 });
      const result = await generate(lab.languageModel('qwen2.5-7b'), hi);
      expect(result.error).toBeUndefined();
      expect(result.text).toBe('Hello from the wire.');
      expect(header(wire, 'x-team')).toBe('ml');
      expect(header(wire, 'authorization')).not.toContain('sk-openai-must-not-leak');
      expect(lab.languageModel('m').provider).toBe('lab');
      expect((await lab.listModels()).length).toBeGreaterThan(0);
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });

  it('times out as a timeout error', async () => {
    const lab = createOpenAICompatible({ name: 'lab', baseURL: `${wire.origin}/v1`, timeoutMs: 200 });
    wire.enqueue({ fault: { kind: 'timeout' } });
    expect(await errorOf(lab.languageModel('m'))).toMatchObject({ kind: 'timeout', provider: 'lab' });
  });
});

/** A self-signed HTTPS server answering one chat completion stream, with a cert made by openssl here. */
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)('OpenAI-compatible preset over self-signed TLS', () => {
  let dir: string;
  let url: string;
  let close: () => void;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (delta: object, finish: string | null) =>
          `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        res.end(`${chunk({ role: 'assistant', content: 'secure-ish' }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    close = () => server.close();
  });
  afterAll(() => {
    close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the certificate by default', async () => {
    expect(await errorOf(createOpenAICompatible({ name: 'box', baseURL: url }).languageModel('m'))).toMatchObject({ kind: 'connection', provider: 'box' });
  });

  it('accepts it with insecureTLS, for that provider only', async () => {
    const result = await generate(createOpenAICompatible({ name: 'box', baseURL: url, insecureTLS: true }).languageModel('m'), hi);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('secure-ish');
    // Nothing global changed: another provider still verifies.
    expect(await errorOf(createOpenAICompatible({ name: 'box2', baseURL: url }).languageModel('m'))).toMatchObject({ kind: 'connection' });
  });
});
