import { z } from 'zod';
import { usageSummarySchema } from '../domain';
import { deploymentHealthSchema } from './health';
import { route } from './route';

const epochMs = (what: string) =>
  z
    .number({ error: `${what} must be a time in epoch milliseconds` })
    .int({ error: `${what} must be a whole number of epoch milliseconds` })
    .nonnegative({ error: `${what} must not be before 1970` });

/** A time range [from, to) in epoch ms; both ends required. */
const rangeSchema = z
  .object({ from: epochMs('from'), to: epochMs('to') })
  .refine((r) => r.from < r.to, { error: 'from must be before to (the range is [from, to))', path: ['to'] });

export const usageBucketSchema = z.enum(['hour', 'day', 'week']);
export type UsageBucket = z.infer<typeof usageBucketSchema>;

const count = z.number().int().nonnegative();
const usd = z.number().nonnegative();

export const tokenKindsSchema = z.object({
  /** Input not read from a prompt cache. */
  inputNoCache: count,
  cacheRead: count,
  cacheWrite: count,
  /** Output that is not reasoning. */
  outputText: count,
  reasoning: count,
});
export type TokenKindsInfo = z.infer<typeof tokenKindsSchema>;

/** One line of the spend chart: a provider, or one provider's model. Arrays follow `spend.starts`. */
export const spendSeriesSchema = z.object({
  /** `openai`, or `openai/gpt-4o` for a model (a local model's ref as it is: `local/tiny`). */
  key: z.string(),
  provider: z.string(),
  model: z.string().nullable(),
  costUsd: z.array(usd),
  calls: z.array(count),
  totalUsd: usd,
  totalCalls: count,
});
export type SpendSeries = z.infer<typeof spendSeriesSchema>;

export const deploymentUsageSchema = z.object({
  /** The router's deployment id (`group#index`), or `provider/model` for calls made without a group. */
  key: z.string(),
  deployment: z.string().nullable(),
  provider: z.string(),
  model: z.string(),
  calls: count,
  successes: count,
  errors: count,
  aborted: count,
  /** successes / (calls − aborted); null when every call was aborted. */
  successRate: z.number().min(0).max(1).nullable(),
  costUsd: usd,
  /** Over successful calls in the range; null without any. Within 3% (histograms), exact below 32 ms. */
  p50LatencyMs: z.number().nonnegative().nullable(),
  p95LatencyMs: z.number().nonnegative().nullable(),
  p50TtftMs: z.number().nonnegative().nullable(),
  p95TtftMs: z.number().nonnegative().nullable(),
  /** From the router's live health (`health.list`); null when it does not know the deployment. */
  breaker: deploymentHealthSchema.shape.breaker.nullable(),
});
export type DeploymentUsage = z.infer<typeof deploymentUsageSchema>;

export const conversationCostSchema = z.object({
  conversationId: z.string(),
  /** null when the conversation has been deleted since. */
  title: z.string().nullable(),
  calls: count,
  costUsd: usd,
  inputTokens: count,
  outputTokens: count,
});

export const savingsModelSchema = z.object({
  /** `TYPE/MODEL` in the catalog: `openai/gpt-4o-mini`, `anthropic/claude-sonnet-4-5`. */
  ref: z.string(),
  label: z.string(),
  /** USD per 1M tokens. */
  inputPerMillion: z.number().nonnegative(),
  outputPerMillion: z.number().nonnegative(),
});
export type SavingsModel = z.infer<typeof savingsModelSchema>;

export const usageDashboardSchema = z.object({
  from: z.number(),
  to: z.number(),
  bucket: usageBucketSchema,
  bucketMs: z.number().int().positive(),
  totals: z.object({
    calls: count,
    successes: count,
    errors: count,
    aborted: count,
    costUsd: usd,
    /** Calls whose cost is unknown (no price in the catalog): they add nothing to costUsd. */
    uncostedCalls: count,
    inputTokens: count,
    outputTokens: count,
  }),
  tokens: tokenKindsSchema,
  spend: z.object({
    /** Each bucket's start, epoch ms. */
    starts: z.array(z.number()),
    byProvider: z.array(spendSeriesSchema),
    byModel: z.array(spendSeriesSchema),
  }),
  deployments: z.array(deploymentUsageSchema),
  topConversations: z.array(conversationCostSchema),
  savings: z.object({
    /** The cloud model the local runs are priced at; null when the catalog has none. */
    model: savingsModelSchema.nullable(),
    candidates: z.array(savingsModelSchema),
    localCalls: count,
    localTokens: tokenKindsSchema,
    /** What the local runs would have cost at `model`'s prices; null when that can't be said (see note). */
    costUsd: usd.nullable(),
    note: z.string().nullable(),
  }),
});
export type UsageDashboard = z.infer<typeof usageDashboardSchema>;

export const usageContract = {
  'usage.summary': route({
    input: z
      .object({
        /** Epoch milliseconds, inclusive. */
        from: z.number().int().nonnegative().optional(),
        /** Epoch milliseconds, exclusive. */
        to: z.number().int().nonnegative().optional(),
      })
      .default({}),
    output: usageSummarySchema,
  }),
  /** Everything the cost dashboard shows, over [from, to), in one round trip. */
  'usage.dashboard': route({
    input: rangeSchema.and(
      z.object({
        /** Default: hours up to 2 days, days up to 60 days, weeks beyond. */
        bucket: usageBucketSchema.optional(),
        /** `TYPE/MODEL` of a catalog model to price the local runs at; default `openai/gpt-4o-mini`. */
        savingsModel: z.string().min(1, { error: 'savingsModel must be a catalog ref like openai/gpt-4o-mini' }).optional(),
        /** How many top conversations; default 10. */
        top: z.number().int().min(1).max(100).optional(),
      }),
    ),
    output: usageDashboardSchema,
  }),
  /** The ended calls of [from, to) as CSV (RFC 4180), oldest first. */
  'usage.export': route({
    input: rangeSchema,
    output: z.object({ filename: z.string(), csv: z.string(), rows: count }),
  }),
  /** Deletes the ended calls of [from, to), or all of them without a range. Calls in flight stay. */
  'usage.clear': route({
    input: z.object({
      from: epochMs('from').optional(),
      to: epochMs('to').optional(),
      confirm: z.literal(true, { error: 'usage.clear deletes usage history for good: pass confirm: true' }),
    }),
    output: z.object({ deleted: count }),
  }),
} as const;
