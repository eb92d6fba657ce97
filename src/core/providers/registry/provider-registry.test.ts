import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicWire } from '../../../../test/wire/anthropic-wire';
import { startOllamaWire } from '../../../../test/wire/ollama-wire';
import { type PresetsWire, startPresetsWire } from '../../../../test/wire/openai-presets-wire';
import { startOpenAIWire } from '../../../../test/wire/openai-wire';
import type { WireServer } from '../../../../test/wire/scenario';
import { generate } from '../../../shared/llm';
import { type SwitchboardConfig, parseConfigText } from '../../config';
import { type LocalModels, RegistryError, createProviderRegistry, parseModelRef } from '.';

let openai: WireServer;
let anthropic: WireServer;
let presets: PresetsWire;
let ollama: Awaited<ReturnType<typeof startOllamaWire>>;

beforeAll(async () => {
  [openai, anthropic, presets, ollama] = await Promise.all([startOpenAIWire(), startAnthropicWire(), startPresetsWire(), startOllamaWire()]);
});
afterAll(() => Promise.all([openai.close(), anthropic.close(), presets.close(), ollama.close()]));

const FAKE_KEY = 'sk-test-REGISTRY-0123456789wxyz';

function config(text: string, env: Record<string, string> = {}): SwitchboardConfig {
  const result = parseConfigText(text, { env });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

const noLocal: LocalModels = { resolve: () => Promise.resolve(undefined), describe: () => Promise.resolve('0 usable models in /models') };
const hi = { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };

const wires = () => ({ OPENAI_WIRE: openai.baseURL, ANTHROPIC_WIRE: anthropic.baseURL, PRESETS_WIRE: presets.origin, OLLAMA_WIRE: ollama.baseURL });

function registryFor(text: string, env: Record<string, string> = {}) {
  return createProviderRegistry({
    config: config(text, wires()),
    local: noLocal,
    env,
    costOf: (type, modelId, usage) => (type === 'openai' && modelId === 'gpt-4o-mini' ? (usage.inputTokens.total ?? 0) * 1e-6 : undefined),
  });
}

const CONFIG = `
providers:
  openai: { type: openai, baseURL: \${OPENAI_WIRE} }
  claude: { type: anthropic, baseURL: \${ANTHROPIC_WIRE}, apiKey: sk-ant-test-key-abcdef123456 }
  router: { type: openrouter, baseURL: "\${PRESETS_WIRE}/api/v1", apiKey: sk-or-v1-aaaabbbbccccdddd9876, appName: Switchboard }
  lab: { type: openai-compatible, baseURL: "\${PRESETS_WIRE}/v1", headers: { X-Team: ml } }
  llama: { type: ollama, baseURL: \${OLLAMA_WIRE} }
  work: { type: azure, endpoint: \${PRESETS_WIRE}, apiVersion: "2024-10-21", deployment: gpt4o }
  try: { type: mock, response: canned answer }
`;

describe('provider registry', () => {
  it('parses provider/model refs', () => {
    expect(parseModelRef('openai/gpt-4o-mini')).toEqual({ provider: 'openai', modelId: 'gpt-4o-mini' });
    expect(parseModelRef('router/openai/gpt-4o-mini')).toEqual({ provider: 'router', modelId: 'openai/gpt-4o-mini' });
    expect(parseModelRef('tiny')).toBeUndefined();
    expect(parseModelRef('/x')).toBeUndefined();
  });

  it('lists local first, then the configured providers, with keys masked and their source', () => {
    const registry = registryFor(CONFIG, { OPENAI_API_KEY: FAKE_KEY });
    expect(registry.names()).toEqual(['local', 'openai', 'claude', 'router', 'lab', 'llama', 'work', 'try']);
    const byName = Object.fromEntries(registry.list().map((p) => [p.name, p]));
    expect(byName.local).toMatchObject({ type: 'local', builtIn: true, keySource: undefined });
    expect(byName.openai).toMatchObject({ type: 'openai', baseURL: openai.baseURL, keySource: 'env', keyHint: 'sk-…wxyz' });
    expect(byName.claude).toMatchObject({ type: 'anthropic', keySource: 'config', keyHint: 'sk-…3456' });
    expect(byName.lab).toMatchObject({ type: 'openai-compatible', keySource: undefined, keyHint: undefined, problem: undefined });
    expect(byName.work).toMatchObject({ baseURL: `${presets.origin}/openai`, keySource: undefined });
    expect(JSON.stringify(registry.list().map(({ factory: _f, probe: _p, ...rest }) => rest))).not.toContain(FAKE_KEY);
  });

  it('resolves provider/model refs to models of the right adapter, and leaves local refs to the library', async () => {
    const registry = registryFor(CONFIG, { OPENAI_API_KEY: FAKE_KEY });
    const resolved = registry.resolveRemote('openai/gpt-4o-mini');
    expect(resolved).toMatchObject({ provider: 'openai', type: 'openai', modelId: 'gpt-4o-mini', ref: 'openai/gpt-4o-mini' });
    openai.enqueue({ text: ['wired'], usage: { input: 1000, output: 2 } });
    const result = await generate(resolved!.model, hi);
    expect(result.text).toBe('wired');
    expect(openai.requests.at(-1)?.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
    expect(resolved!.costUsd(result.usage)).toBeCloseTo(0.001);

    const claude = registry.resolveRemote('claude/claude-haiku-4-5');
    expect(claude?.model.provider).toBe('anthropic');
    expect((await generate(claude!.model, hi)).error).toBeUndefined();
    expect(claude?.costUsd(result.usage)).toBeNull();

    const mock = registry.resolveRemote('try/anything');
    expect((await generate(mock!.model, hi)).text).toBe('canned answer');

    expect(registry.resolveRemote('local/tiny')).toBeUndefined();
    expect(registry.resolveRemote('tiny')).toBeUndefined();
  });

  it('refuses an unknown provider with NOT_FOUND naming the configured ones', async () => {
    const registry = registryFor(CONFIG);
    expect(() => registry.resolveRemote('opnai/gpt-4o')).toThrow(RegistryError);
    try {
      registry.resolveRemote('opnai/gpt-4o');
    } catch (error) {
      expect(error).toMatchObject({ code: 'NOT_FOUND', data: { provider: 'opnai' } });
      expect((error as Error).message).toBe(
        'unknown provider "opnai" in model "opnai/gpt-4o"; configured providers: local, openai, claude, router, lab, llama, work, try (add it under providers: in switchboard.yaml)',
      );
    }
    await expect(registry.resolve('local/none')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports a type whose adapter is missing as a problem, not a crash', () => {
    const registry = createProviderRegistry({ config: config(CONFIG, wires()), local: noLocal, env: {}, builders: {} });
    expect(registry.get('openai')?.problem).toBe('the openai adapter is not in this build');
    expect(() => registry.resolveRemote('openai/x')).toThrow(/provider "openai" cannot be used: the openai adapter is not in this build/);
  });

  it('tests each provider with a cheap call: ok with a detail, or the error kind', async () => {
    const registry = registryFor(CONFIG, {});
    const saved = { o: process.env.OPENAI_API_KEY, a: process.env.AZURE_OPENAI_API_KEY };
    delete process.env.OPENAI_API_KEY;
    delete process.env.AZURE_OPENAI_API_KEY;
    try {
      const results = Object.fromEntries((await registry.test()).map((r) => [r.name, r]));
      expect(results.local).toMatchObject({ ok: true, detail: '0 usable models in /models' });
      expect(results.openai).toMatchObject({ ok: false, error: { kind: 'auth' } });
      expect(results.openai?.error?.message).toContain('providers.openai.apiKey');
      expect(results.claude).toMatchObject({ ok: true });
      expect(results.router).toMatchObject({ ok: true, detail: '$17.88 of $25.00 credits left' });
      expect(results.lab).toMatchObject({ ok: true, detail: expect.stringMatching(/^\d+ models$/) });
      expect(results.llama).toMatchObject({ ok: true, detail: expect.stringMatching(/installed model/) });
      expect(results.work).toMatchObject({ ok: false, error: { kind: 'auth' } });
      expect(results.try).toMatchObject({ ok: true, detail: 'mock answered' });
      for (const r of Object.values(results)) expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    } finally {
      if (saved.o !== undefined) process.env.OPENAI_API_KEY = saved.o;
      if (saved.a !== undefined) process.env.AZURE_OPENAI_API_KEY = saved.a;
    }
  });

  it('tests one provider by name, and maps a server fault to its kind', async () => {
    const registry = registryFor(CONFIG, { OPENAI_API_KEY: FAKE_KEY });
    openai.enqueue({ fault: { kind: 'status', status: 401, message: `Incorrect API key provided: ${FAKE_KEY}` } });
    const [result] = await registry.test('openai');
    expect(result).toMatchObject({ name: 'openai', ok: false, error: { kind: 'auth', status: 401 } });
    expect(JSON.stringify(result)).not.toContain(FAKE_KEY);
    await expect(registry.test('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
