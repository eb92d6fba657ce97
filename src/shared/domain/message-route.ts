import { z } from 'zod';
import { providerErrorKindSchema } from '../llm';
import { callOutcomeSchema } from './usage';

/**
 * One attempt of a routed request, as it ended: a chat event (`type: 'attempt'`) while the reply
 * streams, and one entry of a stored message's route.
 */
export const routeAttemptSchema = z.object({
  /** 1-based across retries and fallbacks; 0 for a request that reached no deployment. */
  attempt: z.number().int().nonnegative(),
  /** 0 for the group asked for, 1 for its first fallback, and so on. */
  fallbackDepth: z.number().int().nonnegative(),
  /** The deployment id (`coder#0`, `openai/gpt-4o`); null for a request that reached none. */
  deployment: z.string().nullable(),
  provider: z.string(),
  model: z.string(),
  /** null while the attempt is still running (a stored message read mid-stream). */
  outcome: callOutcomeSchema.nullable(),
  errorKind: providerErrorKindSchema.nullable(),
  latencyMs: z.number().nonnegative().nullable(),
  ttftMs: z.number().nonnegative().nullable(),
});
export type RouteAttempt = z.infer<typeof routeAttemptSchema>;

/** The live chat event: one attempt ended. */
export const attemptEventSchema = routeAttemptSchema.extend({
  type: z.literal('attempt'),
  /** The group this attempt belonged to (an ad-hoc `provider/model` for a direct ref). */
  group: z.string(),
});
export type AttemptEvent = z.infer<typeof attemptEventSchema>;

const tokens = z.number().int().nonnegative().nullable();

/** How an assistant message was served, built from the `calls` rows of its request. */
export const messageRouteSchema = z.object({
  requestId: z.string(),
  /** Every attempt, in order. */
  attempts: z.array(routeAttemptSchema),
  /** The attempt whose answer the message holds (a success or cache hit, else the last one); null without attempts. */
  served: routeAttemptSchema.nullable(),
  /** How many fallback hops the request took (the deepest attempt's depth). */
  fallbacks: z.number().int().nonnegative(),
  /** The serving attempt's tokens by kind (null when unknown). */
  tokens: z.object({
    input: tokens,
    inputNoCache: tokens,
    inputCacheRead: tokens,
    inputCacheWrite: tokens,
    output: tokens,
    outputText: tokens,
    outputReasoning: tokens,
  }),
  /** USD over every attempt; null when any attempt's cost is unknown. */
  costUsd: z.number().nonnegative().nullable(),
  /** From the request's first attempt start to the serving attempt's end. */
  latencyMs: z.number().nonnegative().nullable(),
  /** The serving attempt's time to first token. */
  ttftMs: z.number().nonnegative().nullable(),
  /** Answered from the response cache. */
  cached: z.boolean(),
});
export type MessageRoute = z.infer<typeof messageRouteSchema>;
