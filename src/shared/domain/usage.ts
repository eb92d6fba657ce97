import { z } from 'zod';

export const callOutcomeSchema = z.enum(['success', 'error', 'aborted', 'cache_hit']);
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

const tokens = z.number().int().nonnegative();

export const usageTotalsSchema = z.object({
  calls: tokens,
  inputTokens: tokens,
  outputTokens: tokens,
  costUsd: z.number().nonnegative(),
  /** Calls whose cost is unknown (no price in the catalog): they add nothing to costUsd. */
  uncostedCalls: tokens,
});

export const usageSummarySchema = z.object({
  from: z.number().nullable(),
  to: z.number().nullable(),
  totals: usageTotalsSchema,
  byOutcome: z.record(callOutcomeSchema, tokens),
  byModel: z.array(usageTotalsSchema.extend({ provider: z.string(), model: z.string() })),
});
export type UsageSummary = z.infer<typeof usageSummarySchema>;
