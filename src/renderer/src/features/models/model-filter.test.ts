import { describe, expect, it } from 'vitest';
import type { SelectableModel } from '../../../../shared/domain';
import { DEFAULT_FILTERS } from '../../stores/model-browser-store';
import { browseModels, isFiltered, pricePerMillion } from './model-filter';

function model(ref: string, patch: Partial<SelectableModel> = {}): SelectableModel {
  const [provider = 'local', modelId = ref] = ref.split('/');
  return {
    ref,
    provider,
    providerType: provider === 'local' ? 'local' : 'openai',
    modelId,
    displayName: modelId,
    source: provider === 'local' ? 'local' : 'catalog',
    contextWindow: null,
    maxOutputTokens: null,
    prices: null,
    capabilities: { vision: null, tools: null, reasoning: null },
    runsLocally: provider === 'local',
    error: null,
    file: null,
    ...patch,
  };
}

const file = (name: string, sizeBytes: number, quantization: string) => ({
  id: `local/${name}`,
  name,
  path: `/models/${name}.gguf`,
  sizeBytes,
  architecture: 'qwen2',
  parameterCount: 494e6,
  quantization,
  contextLength: 32768,
  hasChatTemplate: true,
  error: null,
});

const qwen = model('local/qwen', { file: file('qwen', 400e6, 'Q4_K_M'), contextWindow: 32768, prices: { input: 0, output: 0 } });
const tiny = model('local/tiny', { file: file('tiny', 2e6, 'F16'), contextWindow: 128, prices: { input: 0, output: 0 } });
const mini = model('openai/gpt-4o-mini', {
  displayName: 'GPT-4o mini',
  contextWindow: 128000,
  prices: { input: 0.15, output: 0.6 },
  capabilities: { vision: true, tools: true, reasoning: false },
});
const o3 = model('openai/o3', { contextWindow: 200000, prices: { input: 2, output: 8 }, capabilities: { vision: true, tools: true, reasoning: true } });
const unknownPrice = model('lab/mystery', { providerType: 'openai-compatible' });
const all = [o3, unknownPrice, tiny, mini, qwen];

const refs = (models: SelectableModel[]) => models.map((m) => m.ref);

describe('browseModels', () => {
  it('sorts by name by default', () => {
    expect(refs(browseModels(all, DEFAULT_FILTERS))).toEqual(['openai/gpt-4o-mini', 'lab/mystery', 'openai/o3', 'local/qwen', 'local/tiny']);
  });

  it('matches every word of the query against name, ref, provider, architecture and quantization', () => {
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, query: 'q4_k' }))).toEqual(['local/qwen']);
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, query: 'qwen2 f16' }))).toEqual(['local/tiny']);
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, query: '  OPENAI  mini ' }))).toEqual(['openai/gpt-4o-mini']);
    expect(browseModels(all, { ...DEFAULT_FILTERS, query: 'nothing-like-it' })).toEqual([]);
  });

  it('filters by provider, location and capability (unknown capability is not a yes)', () => {
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, provider: 'openai' }))).toEqual(['openai/gpt-4o-mini', 'openai/o3']);
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, location: 'local' }))).toEqual(['local/qwen', 'local/tiny']);
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, location: 'cloud' }))).toEqual(['openai/gpt-4o-mini', 'lab/mystery', 'openai/o3']);
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, capability: 'reasoning' }))).toEqual(['openai/o3']);
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, capability: 'vision', location: 'local' }))).toEqual([]);
  });

  it('sorts by context, price and size in their useful direction, unknown last', () => {
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, sort: 'context' }))).toEqual([
      'openai/o3',
      'openai/gpt-4o-mini',
      'local/qwen',
      'local/tiny',
      'lab/mystery',
    ]);
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, sort: 'price' }))).toEqual([
      'local/qwen',
      'local/tiny',
      'openai/gpt-4o-mini',
      'openai/o3',
      'lab/mystery',
    ]);
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, sort: 'size' })).slice(0, 2)).toEqual(['local/qwen', 'local/tiny']);
    expect(refs(browseModels(all, { ...DEFAULT_FILTERS, sort: 'provider' }))).toEqual([
      'lab/mystery',
      'local/qwen',
      'local/tiny',
      'openai/gpt-4o-mini',
      'openai/o3',
    ]);
  });

  it('does not reorder its input', () => {
    const input = [...all];
    browseModels(input, { ...DEFAULT_FILTERS, sort: 'context' });
    expect(input).toEqual(all);
  });
});

describe('pricePerMillion and isFiltered', () => {
  it('prices in and out together; local is free; partial prices are unknown', () => {
    expect(pricePerMillion(mini)).toBeCloseTo(0.75);
    expect(pricePerMillion(tiny)).toBe(0);
    expect(pricePerMillion(model('x/y', { prices: { input: 1, output: null } }))).toBeNull();
  });

  it('tells a narrowed list from the whole one; the sort alone narrows nothing', () => {
    expect(isFiltered(DEFAULT_FILTERS)).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTERS, sort: 'price' })).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTERS, query: ' ' })).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTERS, location: 'cloud' })).toBe(true);
  });
});
