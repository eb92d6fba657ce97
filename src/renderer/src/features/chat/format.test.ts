import { describe, expect, it } from 'vitest';
import { formatCost, formatCount, formatDuration, formatTokenKinds, formatUsage, modelLabel, shortModelName, tokensPerSecond } from './format';
import { describeModel, formatContext, groupLabel, optionLabel } from './model-labels';
import { parseMaxTokens } from './max-tokens';

describe('format', () => {
  it('keeps unknown counts visibly unknown', () => {
    expect(formatCount(undefined)).toBe('—');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatUsage({ inputTokens: { total: 12 }, outputTokens: {} })).toBe('12 in · — out');
    expect(formatUsage(null)).toBe('tokens unknown');
  });

  it('formats durations for people', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(850.4)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it('computes output speed after the first token', () => {
    expect(tokensPerSecond({ inputTokens: {}, outputTokens: { total: 101 } }, 1100, 100)).toBe(100);
    expect(tokensPerSecond({ inputTokens: {}, outputTokens: {} }, 1100, 100)).toBeNull();
    expect(tokensPerSecond(null, 1100, 100)).toBeNull();
  });

  it('drops the provider prefix from model ids', () => {
    expect(shortModelName('local/tiny-test')).toBe('tiny-test');
    expect(shortModelName('gpt-4o')).toBe('gpt-4o');
    expect(shortModelName(null)).toBe('unknown model');
  });
});

describe('parseMaxTokens', () => {
  it('accepts blank (the default) and whole numbers in range', () => {
    expect(parseMaxTokens('  ')).toEqual({ ok: true, value: undefined });
    expect(parseMaxTokens('4000')).toEqual({ ok: true, value: 4000 });
  });
  it('refuses anything else with a reason', () => {
    expect(parseMaxTokens('1.5').ok).toBe(false);
    expect(parseMaxTokens('0').ok).toBe(false);
    expect(parseMaxTokens('2000000').ok).toBe(false);
  });

  it('names a local model by its file and a provider model by its ref', () => {
    expect(modelLabel('local/tiny')).toBe('tiny');
    expect(modelLabel('try/mock-1')).toBe('try/mock-1');
    expect(modelLabel('router/openai/gpt-4o')).toBe('router/openai/gpt-4o');
    expect(modelLabel(null)).toBe('unknown model');
  });

  it('labels picker groups and options, and describes a model from what is known', () => {
    expect(groupLabel({ provider: 'local', providerType: 'local', builtIn: true })).toBe('Local');
    expect(groupLabel({ provider: 'try', providerType: 'mock', builtIn: false })).toBe('try · mock');
    expect(groupLabel({ provider: 'openai', providerType: 'openai', builtIn: false })).toBe('openai');
    expect(optionLabel({ displayName: 'GPT-4o mini', error: null })).toBe('GPT-4o mini');
    expect(optionLabel({ displayName: 'broken', error: 'not a GGUF file' })).toBe('broken (unavailable)');
    expect(formatContext(128_000)).toBe('128k');
    expect(formatContext(1_047_576)).toBe('1M');
    const model = {
      ref: 'openai/gpt-4o-mini', provider: 'openai', providerType: 'openai', modelId: 'gpt-4o-mini', displayName: 'GPT-4o mini',
      source: 'live' as const, contextWindow: 128_000, maxOutputTokens: 16_384, prices: { input: 0.15, output: 0.6 },
      capabilities: { vision: true, tools: true, reasoning: false }, runsLocally: false, error: null, file: null,
    };
    expect(describeModel(model)).toBe('openai/gpt-4o-mini · 128k context · $0.15 in / $0.6 out per 1M tokens · vision, tools');
    expect(describeModel({ ...model, prices: null, runsLocally: true, contextWindow: null, capabilities: { vision: null, tools: null, reasoning: null } })).toBe('openai/gpt-4o-mini · free');
  });
});

describe('token kinds and cost', () => {
  it('lists the kinds a provider reported, and nothing for totals only', () => {
    expect(formatTokenKinds(null)).toBe('');
    expect(formatTokenKinds({ inputTokens: { total: 10 }, outputTokens: { total: 5 } })).toBe('');
    expect(
      formatTokenKinds({ inputTokens: { total: 1200, noCache: 200, cacheRead: 1000, cacheWrite: 0 }, outputTokens: { total: 300, text: 120, reasoning: 180 } }),
    ).toBe('200 uncached · 1,000 cached · 180 reasoning · 120 text');
    expect(formatTokenKinds({ inputTokens: { total: 50, cacheWrite: 40 }, outputTokens: { reasoning: 0 } })).toBe('40 cache write');
  });

  it('formats a cost, and says when it is unknown', () => {
    expect(formatCost(null)).toBe('cost unknown');
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(0.00001)).toBe('<$0.0001');
    expect(formatCost(0.0123)).toBe('$0.012');
    expect(formatCost(0.005)).toBe('$0.0050');
    expect(formatCost(0.5)).toBe('$0.500');
    expect(formatCost(12.345)).toBe('$12.35');
  });
});
