import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicWire } from '../../../test/wire/anthropic-wire';
import { startOllamaWire } from '../../../test/wire/ollama-wire';
import { type PresetsWire, startPresetsWire } from '../../../test/wire/openai-presets-wire';
import { startOpenAIWire } from '../../../test/wire/openai-wire';
import type { WireServer } from '../../../test/wire/scenario';
import { contract } from '../../shared/contract';
import { type ProviderModels } from '../../shared/domain';
import { createCatalog } from '../catalog';
import { parseConfigText } from '../config';
import { createModelLibrary } from '../models/library';
import { type LocalModels, createProviderRegistry } from '../providers/registry';
import { createModelsService } from './models-service';

let openai: WireServer;
let anthropic: WireServer;
let presets: PresetsWire;
let ollama: Awaited<ReturnType<typeof startOllamaWire>>;
let hanging: { url: string; close: () => Promise<void> };
let dir: string;

beforeAll(async () => {
  [openai, anthropic, presets, ollama] = await Promise.all([startOpenAIWire(), startAnthropicWire(), startPresetsWire(), startOllamaWire()]);
  // A server that accepts the request and never answers: the list must time out, not hang the route.
  const server = createServer(() => undefined);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  hanging = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
  dir = mkdtempSync(join(tmpdir(), 'sb-models-service-'));
  writeFileSync(join(dir, 'broken.gguf'), 'not a gguf file');
});
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close(), presets.close(), ollama.close(), hanging.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const noLocal: LocalModels = { resolve: () => Promise.resolve(undefined), describe: () => Promise.resolve('') };
const catalog = createCatalog();

function serviceFor(text: string, env: Record<string, string> = {}, options: { listTimeoutMs?: number } = {}) {
  const vars = { OPENAI_WIRE: openai.baseURL, ANTHROPIC_WIRE: anthropic.baseURL, PRESETS_WIRE: presets.origin, OLLAMA_WIRE: ollama.baseURL, HANGING: hanging.url };
  const parsed = parseConfigText(text, { env: vars });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const registry = createProviderRegistry({ config: parsed.config, local: noLocal, env });
  const library = createModelLibrary({ folders: [dir] });
  return createModelsService(library, { registry: () => registry, catalog, listTimeoutMs: options.listTimeoutMs ?? 2_000 });
}

const byName = (groups: ProviderModels[]) => Object.fromEntries(groups.map((g) => [g.provider, g]));
const KEY = 'sk-test-MODELS-0123456789abcd';

describe('models service: every selectable model, by provider', () => {
  it('lists local files first (with their errors), then each provider from its live list, enriched by the catalog', async () => {
    const service = serviceFor(`
providers:
  openai: { type: openai, baseURL: \${OPENAI_WIRE}, apiKey: ${KEY} }
  claude: { type: anthropic, baseURL: \${ANTHROPIC_WIRE}, apiKey: sk-ant-test-key-abcdef123456 }
  llama: { type: ollama, baseURL: \${OLLAMA_WIRE} }
  router: { type: openrouter, baseURL: "\${PRESETS_WIRE}/api/v1", apiKey: sk-or-v1-aaaabbbbccccdddd9876 }
  try: { type: mock, response: hello }
`);
    const list = await service.list();
    expect(contract['models.list'].output.safeParse(list).success).toBe(true);
    expect(list.providers.map((g) => g.provider)).toEqual(['local', 'openai', 'claude', 'llama', 'router', 'try']);
    const groups = byName(list.providers);

    expect(groups.local).toMatchObject({ source: 'local', error: null });
    expect(groups.local?.models).toEqual([expect.objectContaining({ ref: 'local/broken', provider: 'local', error: expect.stringMatching(/GGUF/i) })]);

    // GET /v1/models: chat models only (no embedding, image or moderation models), with the catalog's facts
    expect(groups.openai).toMatchObject({ source: 'live', error: null, providerType: 'openai' });
    expect(groups.openai?.models.map((m) => m.ref)).toEqual(['openai/gpt-4o-mini', 'openai/gpt-4o', 'openai/o3-mini']);
    const mini = groups.openai?.models[0];
    expect(mini).toMatchObject({ provider: 'openai', modelId: 'gpt-4o-mini', source: 'live', error: null, runsLocally: false, capabilities: { vision: true, tools: true, reasoning: false } });
    expect(mini?.contextWindow).toBeGreaterThan(100_000);
    expect(mini?.prices?.input).toBeGreaterThan(0);
    expect(groups.openai?.models.find((m) => m.modelId === 'o3-mini')?.capabilities.reasoning).toBe(true);

    expect(groups.claude?.models.map((m) => [m.ref, m.displayName])).toEqual([
      ['claude/claude-sonnet-4-6', 'Claude Sonnet 4.6'],
      ['claude/claude-haiku-4-5', 'Claude Haiku 4.5'],
    ]);

    // /api/tags, without the embedding model; Ollama runs locally, so it is free
    expect(groups.llama).toMatchObject({ source: 'live', error: null });
    expect(groups.llama?.models.map((m) => m.ref)).toEqual(['llama/llama3.2:latest']);
    expect(groups.llama?.models[0]).toMatchObject({ runsLocally: true, prices: { input: 0, output: 0 } });

    // OpenRouter's list carries its own prices and context
    const routed = groups.router?.models.find((m) => m.modelId === 'openai/gpt-4o-mini');
    expect(routed).toMatchObject({ ref: 'router/openai/gpt-4o-mini', source: 'live' });
    expect(routed?.prices?.input).toBeGreaterThan(0);

    expect(groups.try).toMatchObject({ source: 'offered', error: null, providerType: 'mock' });
    expect(groups.try?.models).toEqual([expect.objectContaining({ ref: 'try/mock-1', displayName: 'Mock model', runsLocally: true, error: null })]);
  });

  it('reports a failed list on its provider, not the route: a missing key disables the catalog stand-ins with the reason', async () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      const service = serviceFor(`
providers:
  nokey: { type: openai, baseURL: \${OPENAI_WIRE} }
  down: { type: ollama, baseURL: "http://127.0.0.1:9" }
  try: { type: mock }
`);
      const groups = byName((await service.list()).providers);
      expect(groups.nokey?.error).toMatchObject({ kind: 'auth' });
      expect(groups.nokey?.error?.message).toContain('providers.nokey.apiKey');
      expect(groups.nokey?.source).toBe('catalog');
      expect(groups.nokey?.models.length).toBeGreaterThan(3);
      expect(groups.nokey?.models.every((m) => m.error !== null && m.source === 'catalog')).toBe(true);
      expect(groups.nokey?.models.some((m) => m.modelId === 'gpt-4o-mini')).toBe(true);
      expect(groups.nokey?.models.some((m) => /embedding|tts|whisper|dall-e/.test(m.modelId))).toBe(false);

      expect(groups.down).toMatchObject({ source: 'none', models: [], error: { kind: 'connection' } });
      expect(groups.try?.models.map((m) => m.ref)).toEqual(['try/mock-1']);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });

  it('gives up on a slow list after the timeout, reporting it as a timeout', async () => {
    const service = serviceFor(`
providers:
  slow: { type: openai-compatible, baseURL: \${HANGING} }
  try: { type: mock }
`, {}, { listTimeoutMs: 200 });
    const started = Date.now();
    const groups = byName((await service.list()).providers);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(groups.slow).toMatchObject({ source: 'none', models: [], error: { kind: 'timeout' } });
    expect(groups.try?.error).toBeNull();
  });

  it('reuses a good live list until asked to refresh', async () => {
    const service = serviceFor(`providers: { openai: { type: openai, baseURL: \${OPENAI_WIRE}, apiKey: ${KEY} } }`);
    const listed = () => openai.requests.filter((r) => r.method === 'GET').length;
    const before = listed();
    await service.list();
    await service.list();
    expect(listed() - before).toBe(1);
    await service.list({ refresh: true });
    expect(listed() - before).toBe(2);
  });

  it('reports a provider that cannot be built, and lists only local models without a registry', async () => {
    const parsed = parseConfigText('providers: { bad: { type: mock } }', { env: {} });
    if (!parsed.ok) throw new Error('config');
    const registry = createProviderRegistry({ config: parsed.config, local: noLocal, env: {}, builders: {} });
    const broken = createModelsService(createModelLibrary({ folders: [dir] }), { registry: () => registry, catalog });
    expect(byName((await broken.list()).providers).bad).toMatchObject({
      source: 'none',
      models: [],
      error: { kind: 'bad_request', message: 'the mock adapter is not in this build' },
    });

    const localOnly = createModelsService(createModelLibrary({ folders: [dir] }));
    const list = await localOnly.list();
    expect(list.providers.map((g) => g.provider)).toEqual(['local']);
  });
});
