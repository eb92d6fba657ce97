import type { Usage } from '../../../shared/llm';

/**
 * DeepSeek reports its context cache as `prompt_cache_hit_tokens` and `prompt_cache_miss_tokens`
 * (they add up to `prompt_tokens`) rather than OpenAI's `prompt_tokens_details.cached_tokens`.
 * Fills cacheRead / noCache from them when the OpenAI mapping left those unknown.
 */
export function convertDeepSeekUsage(usage: Usage): Usage {
  const raw = usage.raw;
  if (typeof raw !== 'object' || raw === null) return usage;
  const hit = count((raw as Record<string, unknown>).prompt_cache_hit_tokens);
  const miss = count((raw as Record<string, unknown>).prompt_cache_miss_tokens);
  if (hit === undefined && miss === undefined) return usage;
  const total = usage.inputTokens.total ?? (hit !== undefined && miss !== undefined ? hit + miss : undefined);
  const cacheRead = usage.inputTokens.cacheRead ?? hit ?? (total !== undefined && miss !== undefined ? Math.max(0, total - miss) : undefined);
  const noCache = miss ?? (total !== undefined && cacheRead !== undefined ? Math.max(0, total - cacheRead) : usage.inputTokens.noCache);
  return {
    ...usage,
    inputTokens: { ...usage.inputTokens, total, cacheRead, noCache, cacheWrite: usage.inputTokens.cacheWrite },
  };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
