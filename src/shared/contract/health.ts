import { z } from 'zod';
import { providerErrorKindSchema } from '../llm';
import { route } from './route';

/** One deployment of the router (`group#index`), over its health window (5 minutes by default). */
export const deploymentHealthSchema = z.object({
  deploymentId: z.string(),
  /** The group it belongs to, and what it calls. */
  group: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  /** Attempts in the window (aborted ones are not counted). */
  requests: z.number().int().nonnegative(),
  /** Share of successes, 0..1; null without attempts in the window. */
  successRate: z.number().min(0).max(1).nullable(),
  /** Over successful attempts; null without any. */
  p50LatencyMs: z.number().nonnegative().nullable(),
  p95LatencyMs: z.number().nonnegative().nullable(),
  p50TtftMs: z.number().nonnegative().nullable(),
  p95TtftMs: z.number().nonnegative().nullable(),
  breaker: z.enum(['closed', 'open', 'half-open']),
  lastError: z.object({ kind: providerErrorKindSchema, message: z.string(), at: z.number() }).nullable(),
});
export type DeploymentHealthInfo = z.infer<typeof deploymentHealthSchema>;

export const healthContract = {
  /** The router's deployments: success rate, p50/p95 latency and TTFT, breaker state, last error. */
  'health.list': route({
    input: z.object({}).default({}),
    output: z.object({ deployments: z.array(deploymentHealthSchema) }),
  }),
} as const;
