import { z } from 'zod';

const count = z.number().int().nonnegative().optional();

/** Token usage. Unknown counts stay `undefined`, never 0. */
export const usageSchema = z.object({
  inputTokens: z.object({ total: count, noCache: count, cacheRead: count, cacheWrite: count }),
  outputTokens: z.object({ total: count, text: count, reasoning: count }),
  raw: z.unknown().optional(),
});

export type Usage = z.infer<typeof usageSchema>;

export function emptyUsage(): Usage {
  return { inputTokens: {}, outputTokens: {} };
}
