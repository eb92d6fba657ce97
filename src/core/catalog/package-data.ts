/**
 * Reads model data from @pydantic/genai-prices' bundled snapshot. Pure: only its bundled data is
 * used (we never call `updatePrices`, which is the package's only network path).
 */
import { calcPrice, findProvider, type ModelPrice } from '@pydantic/genai-prices';
import type { ModelPrices, PriceTier, TokenPrices } from './types';

export interface PackageModel {
  /** The package's canonical id: dated snapshots and aliases resolve to it. */
  id: string;
  name?: string;
  contextWindow?: number;
  prices: ModelPrices;
  deprecated?: boolean;
}

const PRICE_KEYS: Record<keyof TokenPrices, string> = {
  input: 'input_mtok',
  output: 'output_mtok',
  cacheRead: 'cache_read_mtok',
  cacheWrite: 'cache_write_mtok',
  reasoning: 'output_reasoning_mtok',
};

interface TieredValue {
  base: number;
  tiers: { start: number; price: number }[];
}

function isTiered(value: unknown): value is TieredValue {
  return typeof value === 'object' && value !== null && 'base' in value && 'tiers' in value;
}

/** Converts the package's price record (numbers or tiered values) to ours. */
export function convertPackagePrices(modelPrice: ModelPrice): ModelPrices {
  const prices: ModelPrices = {};
  const tierStarts = new Set<number>();
  for (const [kind, key] of Object.entries(PRICE_KEYS) as [keyof TokenPrices, string][]) {
    const value: unknown = modelPrice[key];
    if (typeof value === 'number') prices[kind] = value;
    else if (isTiered(value)) {
      prices[kind] = value.base;
      for (const tier of value.tiers) tierStarts.add(tier.start);
    }
  }
  if (tierStarts.size > 0) {
    const tiers: PriceTier[] = [...tierStarts]
      .sort((a, b) => a - b)
      .map((start) => {
        const tierPrices: TokenPrices = {};
        for (const [kind, key] of Object.entries(PRICE_KEYS) as [keyof TokenPrices, string][]) {
          const value: unknown = modelPrice[key];
          if (typeof value === 'number') tierPrices[kind] = value;
          else if (isTiered(value)) {
            // The highest tier at or below this start applies; below every tier, the base.
            const applicable = value.tiers.filter((t) => t.start <= start).sort((a, b) => b.start - a.start)[0];
            tierPrices[kind] = applicable ? applicable.price : value.base;
          }
        }
        return { aboveInputTokens: start, prices: tierPrices };
      });
    prices.tiers = tiers;
  }
  return prices;
}

/** The package's entry for a model of one of its providers, with prices as they stood at `at`. */
export function findPackageModel(packageProvider: string, modelId: string, at: Date): PackageModel | undefined {
  let result: ReturnType<typeof calcPrice>;
  try {
    result = calcPrice({}, modelId, { providerId: packageProvider, timestamp: at });
  } catch {
    return undefined;
  }
  if (!result) return undefined;
  // Azure's entries fall back to OpenAI's, Anthropic's…; any other provider is a stray match.
  const fallbacks = findProvider({ providerId: packageProvider })?.fallback_model_providers ?? [];
  if (result.provider.id !== packageProvider && !fallbacks.includes(result.provider.id)) return undefined;
  const { model } = result;
  return {
    id: model.id,
    ...(model.name !== undefined && { name: model.name }),
    ...(model.context_window !== undefined && { contextWindow: model.context_window }),
    prices: convertPackagePrices(result.model_price),
    ...(model.deprecated !== undefined && { deprecated: model.deprecated }),
  };
}

/** Canonical ids of every model the package holds for a provider. */
export function listPackageModelIds(packageProvider: string): string[] {
  const provider = findProvider({ providerId: packageProvider });
  return provider ? provider.models.map((m) => m.id) : [];
}
