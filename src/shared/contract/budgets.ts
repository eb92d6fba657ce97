import { z } from 'zod';
import { route } from './route';

/** What a budget covers: `global`, `provider:NAME`, `group:NAME` or `model:ID` (as in switchboard.yaml). */
export const budgetScopeSchema = z.string().regex(/^(global|(provider|group|model):.+)$/);
export const budgetPeriodSchema = z.enum(['daily', 'monthly']);
/** What happens at 100%: refuse (`budget` error), reroute to a local model, or only alert. */
export const budgetActionSchema = z.enum(['block', 'fallback-local', 'warn']);
/** The soft thresholds, in percent of the limit: each raises one alert per period. */
export const BUDGET_THRESHOLDS = [50, 80, 100] as const;
export const budgetThresholdSchema = z.union([z.literal(50), z.literal(80), z.literal(100)]);

export type BudgetScope = z.infer<typeof budgetScopeSchema>;
export type BudgetPeriod = z.infer<typeof budgetPeriodSchema>;
export type BudgetAction = z.infer<typeof budgetActionSchema>;
export type BudgetThreshold = z.infer<typeof budgetThresholdSchema>;

/**
 * The `budget.alert` host event (HOST_EVENTS.budgetAlert): spend crossed a threshold. Sent once per
 * threshold per period (a restart does not repeat one already crossed: it is rebuilt from the
 * recorded spend).
 */
export const budgetAlertSchema = z.object({
  scope: budgetScopeSchema,
  period: budgetPeriodSchema,
  threshold: budgetThresholdSchema,
  /** Recorded spend in the period, USD. */
  spentUsd: z.number().nonnegative(),
  limitUsd: z.number().nonnegative(),
  /** What the budget does at 100% (`onExceeded`). */
  action: budgetActionSchema,
  /** When it was crossed, epoch ms. */
  at: z.number(),
});
export type BudgetAlert = z.infer<typeof budgetAlertSchema>;

/** One budget limit (a budget with both `daily` and `monthly` has two). */
export const budgetStatusSchema = z.object({
  scope: budgetScopeSchema,
  period: budgetPeriodSchema,
  limitUsd: z.number().nonnegative(),
  spentUsd: z.number().nonnegative(),
  /** spent / limit × 100 (may pass 100). */
  percent: z.number().nonnegative(),
  /** `ok` under 80%, `warning` from 80%, `exceeded` from 100%. */
  state: z.enum(['ok', 'warning', 'exceeded']),
  /** The highest soft threshold crossed this period (0 for none). */
  crossed: z.union([z.literal(0), budgetThresholdSchema]),
  action: budgetActionSchema,
  /** The period, epoch ms: it started at `periodStart` and resets at `resetsAt` (the host's local midnight / first of the month). */
  periodStart: z.number(),
  resetsAt: z.number(),
});
export type BudgetStatus = z.infer<typeof budgetStatusSchema>;

export const budgetsContract = {
  /** Every configured budget's spend against its limit, this period. */
  'budgets.status': route({
    input: z.object({}).default({}),
    output: z.object({ budgets: z.array(budgetStatusSchema) }),
  }),
} as const;
