/**
 * The cost of one call, from its usage by kind and the model's prices (USD per 1M tokens):
 *   non-cached input × input + cache reads × cacheRead + cache writes × cacheWrite
 *   + reasoning × reasoning (only where priced apart) + the rest of the output × output.
 * Above a long-context tier (total input > tier start), the whole call is billed at the tier.
 * Unknown counts or an unknown price give `costUsd: undefined`, never a made-up 0.
 * A cost the provider reported itself (OpenRouter's `usage.cost`, in `usage.raw`) wins.
 */
import type { Usage } from '../../shared/llm';
import type { CatalogEntry, CostResult, TokenPrices } from './types';

const PER_MILLION = 1_000_000;

/** OpenRouter reports `usage.cost` in credits (USD); adapters pass the wire usage as `raw`. */
/** Accepts the usage object itself (`{ prompt_tokens, …, cost }`) or a response holding it (`{ usage: { cost } }`). */
export function providerReportedCost(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { cost, usage } = raw as { cost?: unknown; usage?: unknown };
  if (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0) return cost;
  return usage !== undefined && usage !== raw ? providerReportedCost(usage) : undefined;
}

function unknown(missing: string): CostResult {
  return { costUsd: undefined, breakdown: { source: 'catalog', missing } };
}

export function computeCost(entry: CatalogEntry | undefined, usage: Usage): CostResult {
  const reported = providerReportedCost(usage.raw);
  if (reported !== undefined) return { costUsd: reported, breakdown: { source: 'provider' } };
  if (!entry) return unknown('the model is not in the catalog');
  if (entry.local) return { costUsd: 0, breakdown: { source: 'local' } };
  if (!entry.prices) return unknown(`no prices for ${entry.provider}/${entry.modelId}`);

  const { total: inTotal, noCache, cacheRead, cacheWrite } = usage.inputTokens;
  // Absent cache counts mean the provider reported no cache use; an absent total or non-cached
  // count with nothing to derive it from is unknown.
  const reads = cacheRead ?? 0;
  const writes = cacheWrite ?? 0;
  const plain = noCache ?? (inTotal !== undefined ? inTotal - reads - writes : undefined);
  if (plain === undefined || plain < 0) return unknown('input token count unknown');
  const inputAll = plain + reads + writes;

  const { total: outTotal, text, reasoning } = usage.outputTokens;
  const outputAll = outTotal ?? (text !== undefined && reasoning !== undefined ? text + reasoning : undefined);
  if (outputAll === undefined) return unknown('output token count unknown');

  const tier = (entry.prices.tiers ?? [])
    .filter((t) => inputAll > t.aboveInputTokens)
    .sort((a, b) => b.aboveInputTokens - a.aboveInputTokens)[0];
  const prices: TokenPrices = tier ? { ...entry.prices, ...tier.prices } : entry.prices;

  const part = (count: number, price: number | undefined, kind: string): number | string => {
    if (count === 0) return 0;
    if (price === undefined) return `no ${kind} price for ${entry.provider}/${entry.modelId}`;
    return (count * price) / PER_MILLION;
  };

  const separateReasoning = prices.reasoning !== undefined && reasoning !== undefined;
  const reasoningCount = separateReasoning ? Math.min(reasoning, outputAll) : 0;
  const parts = {
    inputUsd: part(plain, prices.input, 'input'),
    cacheReadUsd: part(reads, prices.cacheRead, 'cache-read'),
    cacheWriteUsd: part(writes, prices.cacheWrite, 'cache-write'),
    outputUsd: part(outputAll - reasoningCount, prices.output, 'output'),
    reasoningUsd: part(reasoningCount, prices.reasoning, 'reasoning'),
  };
  const missing = Object.values(parts).find((v): v is string => typeof v === 'string');
  if (missing !== undefined) return unknown(missing);
  const n = parts as Record<keyof typeof parts, number>;
  const costUsd = n.inputUsd + n.cacheReadUsd + n.cacheWriteUsd + n.outputUsd + n.reasoningUsd;
  return {
    costUsd,
    breakdown: {
      source: 'catalog',
      inputUsd: n.inputUsd,
      cacheReadUsd: n.cacheReadUsd,
      cacheWriteUsd: n.cacheWriteUsd,
      outputUsd: n.outputUsd,
      ...(separateReasoning && { reasoningUsd: n.reasoningUsd }),
      ...(tier && { tierAboveInputTokens: tier.aboveInputTokens }),
    },
  };
}
