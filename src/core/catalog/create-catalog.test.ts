import { describe, expect, it } from 'vitest';
import { createCatalog, stripDateSuffix } from './create-catalog';
import { bundledOverrides } from './create-catalog';
import { parseCatalogOverrides } from './overrides-schema';
import { parseOpenRouterModels, perTokenToPerMillion } from './openrouter-models';

const at = () => new Date('2026-11-01T12:00:00Z');
const catalog = createCatalog({ now: at });

describe('lookupModel: ids', () => {
  it('resolves dated snapshots and aliases to the canonical id', () => {
    expect(catalog.lookupModel('openai', 'gpt-4o-2024-08-06')).toMatchObject({ modelId: 'gpt-4o', requestedId: 'gpt-4o-2024-08-06' });
    expect(catalog.lookupModel('anthropic', 'claude-sonnet-4-5-20250929')?.modelId).toBe('claude-sonnet-4-5');
    expect(catalog.lookupModel('openai', 'gpt-4o')?.requestedId).toBeUndefined();
  });
  it('strips date suffixes', () => {
    expect(stripDateSuffix('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(stripDateSuffix('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(stripDateSuffix('gpt-4o')).toBeUndefined();
  });
  it('an unknown cloud model is undefined; an unknown local model is a free local entry', () => {
    expect(catalog.lookupModel('openai', 'no-such-model')).toBeUndefined();
    expect(catalog.lookupModel('nowhere', 'x')).toBeUndefined();
    expect(catalog.lookupModel('ollama', 'llama3.2:3b')).toMatchObject({ local: true, modelId: 'llama3.2:3b' });
    expect(catalog.lookupModel('local', 'qwen2.5-0.5b-instruct-q4_k_m')?.local).toBe(true);
  });
});

describe('lookupModel: metadata', () => {
  it('gpt-4o: package prices and context, our capabilities and max output', () => {
    const e = catalog.lookupModel('openai', 'gpt-4o');
    expect(e).toMatchObject({
      contextWindow: 128_000,
      maxOutputTokens: 16_384,
      prices: { input: 2.5, output: 10, cacheRead: 1.25 },
      capabilities: { vision: true, tools: true, reasoning: false, json: true, jsonSchema: true },
      transforms: { maxOutputTokensField: 'max_tokens' },
    });
    expect(e?.supportedParameters).toContain('temperature');
    expect(e?.sources).toEqual(['overrides', 'package']);
  });
  it('reasoning models: max_completion_tokens, developer role, no sampling parameters', () => {
    for (const id of ['o3', 'o4-mini', 'gpt-5', 'gpt-5-mini']) {
      const e = catalog.lookupModel('openai', id);
      expect(e?.capabilities.reasoning, id).toBe(true);
      expect(e?.transforms, id).toEqual({ maxOutputTokensField: 'max_completion_tokens', systemMessageRole: 'developer' });
      expect(e?.supportedParameters, id).not.toContain('temperature');
      expect(e?.supportedParameters, id).not.toContain('topP');
      expect(e?.supportedParameters, id).toContain('reasoning');
    }
  });
  it('azure applies the openai rules', () => {
    expect(catalog.lookupModel('azure', 'o3')?.transforms.maxOutputTokensField).toBe('max_completion_tokens');
  });
  it('claude: cache read/write prices, long-context tier, temperature 0 to 1, thinking', () => {
    const e = catalog.lookupModel('anthropic', 'claude-sonnet-4-5');
    expect(e?.prices).toMatchObject({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    expect(e?.prices?.tiers?.[0]).toEqual({ aboveInputTokens: 200_000, prices: { input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5 } });
    expect(e?.parameterRanges?.temperature).toEqual({ min: 0, max: 1 });
    expect(e?.capabilities.reasoning).toBe(true);
    expect(e?.supportedParameters).toEqual(expect.arrayContaining(['topK', 'reasoning']));
    expect(e?.supportedParameters).not.toContain('seed');
    expect(e?.maxOutputTokens).toBe(64_000);
  });
  it('deepseek-reasoner takes no sampling parameters', () => {
    const e = catalog.lookupModel('deepseek', 'deepseek-reasoner');
    expect(e?.capabilities.reasoning).toBe(true);
    expect(e?.supportedParameters).not.toContain('temperature');
  });
  it('list(provider) returns canonical entries', () => {
    const ids = catalog.list('openai').map((e) => e.modelId);
    expect(ids).toContain('gpt-4o');
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('overrides', () => {
  it('the bundled file is valid', () => {
    expect(bundledOverrides.models.length).toBeGreaterThan(0);
  });
  it('a later layer wins over the package, field by field', () => {
    const mine = parseCatalogOverrides({ models: [{ provider: 'openai', id: 'gpt-4o', prices: { input: 5 }, contextWindow: 64_000 }] });
    const c = createCatalog({ overrides: [bundledOverrides, mine], now: at });
    expect(c.lookupModel('openai', 'gpt-4o-2024-08-06')).toMatchObject({
      modelId: 'gpt-4o',
      contextWindow: 64_000,
      prices: { input: 5, output: 10, cacheRead: 1.25 },
    });
  });
  it('aliases of an exact rule resolve to its id', () => {
    const mine = parseCatalogOverrides({
      providers: { lab: {} },
      models: [{ provider: 'lab', id: 'qwen-coder', aliases: ['coder'], prices: { input: 0, output: 0 } }],
    });
    expect(createCatalog({ overrides: mine }).lookupModel('lab', 'coder')?.modelId).toBe('qwen-coder');
  });
  it('invalid overrides name the path', () => {
    expect(() => parseCatalogOverrides({ models: [{ provider: 'openai', pattern: '(' }] })).toThrow(/models\.0\.pattern/);
    expect(() => parseCatalogOverrides({ models: [{ provider: 'openai', id: 'x', prices: { input: -1 } }] })).toThrow(
      /models\.0\.prices\.input/,
    );
    expect(() => parseCatalogOverrides({ models: [{ provider: 'openai' }] })).toThrow(/exactly one of id or pattern/);
  });
});

describe('OpenRouter', () => {
  const live = {
    data: [
      {
        id: 'anthropic/claude-sonnet-4.5',
        name: 'Anthropic: Claude Sonnet 4.5',
        created: 1759161676,
        context_length: 1_000_000,
        architecture: { modality: 'text+image->text', input_modalities: ['text', 'image', 'file'], output_modalities: ['text'] },
        pricing: {
          prompt: '0.000003',
          completion: '0.000015',
          request: '0',
          image: '0.0048',
          input_cache_read: '0.0000003',
          input_cache_write: '0.00000375',
          internal_reasoning: '0',
        },
        top_provider: { context_length: 1_000_000, max_completion_tokens: 64_000, is_moderated: false },
        supported_parameters: ['max_tokens', 'temperature', 'top_p', 'top_k', 'stop', 'tools', 'tool_choice', 'reasoning', 'include_reasoning'],
        future_field: { anything: true },
      },
      { id: 'openrouter/auto', pricing: { prompt: '-1', completion: '-1' }, context_length: 2_000_000 },
      { name: 'no id: skipped' },
    ],
  };
  it('parses the live list, tolerating unknown fields and skipping malformed models', () => {
    const parsed = parseOpenRouterModels(live);
    expect(parsed.models.map((m) => m.id)).toEqual(['anthropic/claude-sonnet-4.5', 'openrouter/auto']);
    expect(parsed.skipped).toEqual(['#2']);
    expect(() => parseOpenRouterModels({ models: 1 })).toThrow(/expected/);
  });
  it('per-token strings become per-million numbers without binary noise', () => {
    expect(perTokenToPerMillion('0.0000025')).toBe(2.5);
    expect(perTokenToPerMillion('0.00000375')).toBe(3.75);
    expect(perTokenToPerMillion('-1')).toBeUndefined();
    expect(perTokenToPerMillion('')).toBeUndefined();
  });
  it('live data wins: prices, context, max output, vision from modalities, parameters', () => {
    const c = createCatalog({ openRouterModels: live, now: at });
    const e = c.lookupModel('openrouter', 'anthropic/claude-sonnet-4.5');
    expect(e).toMatchObject({
      modelId: 'anthropic/claude-sonnet-4.5',
      contextWindow: 1_000_000,
      maxOutputTokens: 64_000,
      prices: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
      capabilities: { vision: true, tools: true, reasoning: true, json: false, jsonSchema: false },
    });
    expect(e?.prices?.reasoning).toBeUndefined();
    expect(e?.supportedParameters).toEqual(['temperature', 'topP', 'topK', 'maxOutputTokens', 'stop', 'tools', 'toolChoice', 'reasoning']);
    expect(e?.sources).toContain('openrouter');
    // variable pricing ("-1") is unknown, not free
    expect(c.lookupModel('openrouter', 'openrouter/auto')?.prices).toBeUndefined();
  });
  it('without the live list, the package snapshot and the vendor entry answer', () => {
    const e = catalog.lookupModel('openrouter', 'openai/o3');
    expect(e?.prices).toMatchObject({ input: 2, output: 8 });
    expect(e?.capabilities.reasoning).toBe(true);
    // OpenRouter takes max_tokens for every model
    expect(e?.transforms.maxOutputTokensField).toBe('max_tokens');
  });
});

describe('entryCapabilities', () => {
  it("maps an entry to the spec's ModelCapabilities, leaving unknowns out", async () => {
    const { entryCapabilities } = await import('./entry-capabilities');
    const gpt4o = catalog.lookupModel('openai', 'gpt-4o');
    expect(gpt4o && entryCapabilities(gpt4o)).toEqual({ vision: true, tools: true, reasoning: false, json: true, contextWindow: 128_000 });
    const llama = catalog.lookupModel('ollama', 'llama3.2');
    expect(llama && entryCapabilities(llama)).toEqual({});
  });
});
