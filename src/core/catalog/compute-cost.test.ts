import { describe, expect, it } from 'vitest';
import type { Usage } from '../../shared/llm';
import { computeCost } from './compute-cost';
import { createCatalog } from './create-catalog';
import { parseCatalogOverrides } from './overrides-schema';
import type { CatalogEntry } from './types';

/**
 * Worked examples. Prices are USD per 1M tokens, so cost = tokens × price / 1,000,000.
 * The entries come from a test overrides layer, so the figures do not move with the package's data.
 */
const testOverrides = parseCatalogOverrides({
  providers: { cloud: {}, box: { local: true } },
  models: [
    // like gpt-4o: cached reads at half price, no cache-write price
    { provider: 'cloud', id: 'omni', prices: { input: 2.5, output: 10, cacheRead: 1.25 } },
    // like claude-sonnet-4-5: 5-minute cache writes at 1.25×, reads at 0.1×, long context above 200k
    {
      provider: 'cloud',
      id: 'sonnet',
      prices: {
        input: 3,
        output: 15,
        cacheRead: 0.3,
        cacheWrite: 3.75,
        tiers: [{ aboveInputTokens: 200_000, prices: { input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5 } }],
      },
    },
    // a model that prices reasoning tokens apart from text output
    { provider: 'cloud', id: 'thinker', prices: { input: 1, output: 4, reasoning: 8 } },
    // a reasoning model whose reasoning is billed as output (like o3)
    { provider: 'cloud', id: 'o-like', prices: { input: 2, output: 8, cacheRead: 0.5 } },
    { provider: 'cloud', id: 'unpriced' },
  ],
});
const catalog = createCatalog({ overrides: testOverrides });
const entry = (id: string, provider = 'cloud'): CatalogEntry => {
  const e = catalog.lookupModel(provider, id);
  if (!e) throw new Error(`no entry ${provider}/${id}`);
  return e;
};
const usage = (input: Usage['inputTokens'], output: Usage['outputTokens'], raw?: unknown): Usage => ({
  inputTokens: input,
  outputTokens: output,
  ...(raw !== undefined && { raw }),
});

describe('computeCost: worked examples', () => {
  it('cached input: reads at the cached price, the rest at the input price', () => {
    // 10,000 input of which 4,000 cache reads → 6,000 non-cached.
    //   6,000 × 2.50 = 15,000 → $0.015
    //   4,000 × 1.25 =  5,000 → $0.005
    //     500 × 10   =  5,000 → $0.005
    //   total $0.025
    const r = computeCost(entry('omni'), usage({ total: 10_000, cacheRead: 4_000 }, { total: 500 }));
    expect(r.costUsd).toBeCloseTo(0.025, 12);
    expect(r.breakdown).toMatchObject({ source: 'catalog' });
    expect(r.breakdown.inputUsd).toBeCloseTo(0.015, 12);
    expect(r.breakdown.cacheReadUsd).toBeCloseTo(0.005, 12);
    expect(r.breakdown.outputUsd).toBeCloseTo(0.005, 12);
  });

  it('cache reads and writes (Anthropic-style usage, reasoning billed as output)', () => {
    // noCache 1,000 × 3.00 =  3,000 → $0.003
    // reads  20,000 × 0.30 =  6,000 → $0.006
    // writes  5,000 × 3.75 = 18,750 → $0.01875
    // output  2,000 × 15   = 30,000 → $0.03   (1,500 of it thinking: no separate price, so output)
    // total $0.05775
    const r = computeCost(
      entry('sonnet'),
      usage({ total: 26_000, noCache: 1_000, cacheRead: 20_000, cacheWrite: 5_000 }, { total: 2_000, reasoning: 1_500 }),
    );
    expect(r.costUsd).toBeCloseTo(0.05775, 12);
    expect(r.breakdown.cacheWriteUsd).toBeCloseTo(0.01875, 12);
    expect(r.breakdown.reasoningUsd).toBeUndefined();
  });

  it('reasoning tokens at their own price when the model prices them apart', () => {
    // input     1,000 × 1 =  1,000 → $0.001
    // text      1,000 × 4 =  4,000 → $0.004   (3,000 output − 2,000 reasoning)
    // reasoning 2,000 × 8 = 16,000 → $0.016
    // total $0.021
    const r = computeCost(entry('thinker'), usage({ total: 1_000 }, { total: 3_000, text: 1_000, reasoning: 2_000 }));
    expect(r.costUsd).toBeCloseTo(0.021, 12);
    expect(r.breakdown.reasoningUsd).toBeCloseTo(0.016, 12);
    expect(r.breakdown.outputUsd).toBeCloseTo(0.004, 12);
  });

  it('reasoning tokens at the output price when not priced apart', () => {
    // input  1,000 × 2 =  2,000 → $0.002
    // output 3,000 × 8 = 24,000 → $0.024   (2,000 of them reasoning)
    // total $0.026
    const r = computeCost(entry('o-like'), usage({ total: 1_000 }, { total: 3_000, reasoning: 2_000 }));
    expect(r.costUsd).toBeCloseTo(0.026, 12);
  });

  it('output total derived from text + reasoning when the total is missing', () => {
    // 1,000 × 1 + 500 × 4 + 250 × 8 = 1,000 + 2,000 + 2,000 = 5,000 → $0.005
    const r = computeCost(entry('thinker'), usage({ total: 1_000 }, { text: 500, reasoning: 250 }));
    expect(r.costUsd).toBeCloseTo(0.005, 12);
  });

  it('long context: above the tier the whole call is billed at the tier prices', () => {
    // 250,000 input > 200,000 → tier: input 6, output 22.5
    //   250,000 × 6    = 1,500,000 → $1.5
    //     1,000 × 22.5 =    22,500 → $0.0225
    //   total $1.5225
    const r = computeCost(entry('sonnet'), usage({ total: 250_000 }, { total: 1_000 }));
    expect(r.costUsd).toBeCloseTo(1.5225, 12);
    expect(r.breakdown.tierAboveInputTokens).toBe(200_000);
    // exactly at the threshold: base prices. 200,000 × 3 + 1,000 × 15 = 615,000 → $0.615
    expect(computeCost(entry('sonnet'), usage({ total: 200_000 }, { total: 1_000 })).costUsd).toBeCloseTo(0.615, 12);
  });

  it('prefers the cost the provider reported (OpenRouter usage.cost in raw)', () => {
    const r = computeCost(entry('omni'), usage({ total: 10 }, { total: 10 }, { prompt_tokens: 10, cost: 0.0123 }));
    expect(r).toEqual({ costUsd: 0.0123, breakdown: { source: 'provider' } });
    expect(computeCost(entry('omni'), usage({ total: 10 }, { total: 10 }, { usage: { cost: 0.02 } })).costUsd).toBe(0.02);
    // a malformed cost is ignored: 10 × 2.5 + 10 × 10 = 125 → $0.000125
    expect(computeCost(entry('omni'), usage({ total: 10 }, { total: 10 }, { cost: 'free' })).costUsd).toBeCloseTo(0.000125, 12);
    // even for a model the catalog does not know
    expect(computeCost(undefined, usage({}, {}, { cost: 0.5 })).costUsd).toBe(0.5);
  });

  it('local models cost 0', () => {
    const local = catalog.lookupModel('box', 'qwen2.5-0.5b-instruct-q4_k_m');
    expect(local?.local).toBe(true);
    expect(computeCost(local, usage({ total: 5_000 }, { total: 500 }))).toEqual({ costUsd: 0, breakdown: { source: 'local' } });
  });
});

describe('computeCost: unknown stays unknown', () => {
  it('unknown model → undefined', () => {
    expect(computeCost(undefined, usage({ total: 1 }, { total: 1 })).costUsd).toBeUndefined();
  });
  it('model without prices → undefined', () => {
    const r = computeCost(entry('unpriced'), usage({ total: 1 }, { total: 1 }));
    expect(r.costUsd).toBeUndefined();
    expect(r.breakdown.missing).toMatch(/no prices/);
  });
  it('unknown input or output counts → undefined, never 0', () => {
    expect(computeCost(entry('omni'), usage({}, { total: 10 })).costUsd).toBeUndefined();
    expect(computeCost(entry('omni'), usage({ total: 10 }, {})).costUsd).toBeUndefined();
    expect(computeCost(entry('omni'), usage({ total: 10 }, { reasoning: 5 })).costUsd).toBeUndefined();
  });
  it('tokens of a kind with no price → undefined (gpt-4o-like has no cache-write price)', () => {
    const r = computeCost(entry('omni'), usage({ total: 100, cacheWrite: 50 }, { total: 1 }));
    expect(r.costUsd).toBeUndefined();
    expect(r.breakdown.missing).toMatch(/cache-write/);
  });
  it('zero tokens of an unpriced kind cost nothing and need no price', () => {
    // 100 × 2.5 + 10 × 10 = 250 + 100 = 350 → $0.00035
    expect(computeCost(entry('omni'), usage({ total: 100, cacheWrite: 0 }, { total: 10 })).costUsd).toBeCloseTo(0.00035, 12);
  });
});

describe('computeCost with the package data (@pydantic/genai-prices 0.1.8)', () => {
  const real = createCatalog({ now: () => new Date('2026-11-01T12:00:00Z') });
  it('gpt-4o-2024-08-06 resolves to gpt-4o at 2.50 / 10 / cached 1.25', () => {
    // 1,000 non-cached × 2.5 + 1,000 cached × 1.25 + 100 × 10 = 2,500 + 1,250 + 1,000 = 4,750 → $0.00475
    const r = computeCost(real.lookupModel('openai', 'gpt-4o-2024-08-06'), usage({ total: 2_000, cacheRead: 1_000 }, { total: 100 }));
    expect(r.costUsd).toBeCloseTo(0.00475, 12);
  });
});
