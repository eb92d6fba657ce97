import { z } from 'zod';
import type { Usage } from '../../../shared/llm';

const count = z.number().int().nonnegative().nullish();

/** OpenAI's usage object, leniently: compatible servers leave fields out or send null. */
export const openAIUsageSchema = z.looseObject({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  prompt_tokens_details: z.looseObject({ cached_tokens: count }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: count }).nullish(),
});

export type OpenAIUsage = z.infer<typeof openAIUsageSchema>;

/**
 * OpenAI usage → the spec's usage by kind. `prompt_tokens` includes the cached tokens
 * (`cached_tokens` → cacheRead, the rest → noCache); `completion_tokens` includes reasoning
 * (`reasoning_tokens` → reasoning, the rest → text). A count the provider left out stays
 * undefined; OpenAI reports no cache writes. `raw` keeps the provider's object, plus `extras`
 * (e.g. OpenRouter's cost) when a preset reads them.
 */
export function convertOpenAIUsage(raw: unknown, extras?: Record<string, unknown>): Usage {
  const parsed = openAIUsageSchema.safeParse(raw);
  if (raw === undefined || raw === null || !parsed.success) return { inputTokens: {}, outputTokens: {} };
  const usage = parsed.data;
  const input = usage.prompt_tokens ?? undefined;
  const cached = usage.prompt_tokens_details?.cached_tokens ?? undefined;
  const output = usage.completion_tokens ?? undefined;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? undefined;
  return {
    inputTokens: {
      total: input,
      noCache: input !== undefined && cached !== undefined ? Math.max(0, input - cached) : undefined,
      cacheRead: cached,
      cacheWrite: undefined,
    },
    outputTokens: {
      total: output,
      text: output !== undefined && reasoning !== undefined ? Math.max(0, output - reasoning) : undefined,
      reasoning,
    },
    raw: extras === undefined ? raw : { ...(raw as Record<string, unknown>), ...extras },
  };
}
