import type { ProviderErrorData, ProviderErrorKind } from '../../shared/llm';
import type { Random } from './router-types';

export interface RetryPolicy {
  /** Retries within one group, after the first attempt (moving to a peer counts as one). Default 2. */
  maxRetries: number;
  /** Backoff base: the n-th retry sleeps a uniform random time in [0, min(maxDelayMs, baseDelayMs × 2^(n-1))). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the group gives up and its fallbacks run. */
  maxRetryAfterMs: number;
  /** The kinds worth another attempt. `aborted` never is, whatever this says. */
  retryOn: ReadonlySet<ProviderErrorKind>;
}

export const DEFAULT_RETRY_ON: ReadonlySet<ProviderErrorKind> = new Set(['rate_limit', 'timeout', 'connection', 'server', 'engine_crashed']);

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  retryOn: DEFAULT_RETRY_ON,
};

/**
 * Whether an error is worth another attempt: its kind is in `retryOn` and the adapter did not
 * say otherwise (`retryable: false`, e.g. OpenAI's insufficient_quota 429). Never for aborts.
 */
export function isRetryable(error: ProviderErrorData, policy: RetryPolicy): boolean {
  if (error.kind === 'aborted') return false;
  return policy.retryOn.has(error.kind) && error.retryable;
}

/** Exponential backoff with full jitter, capped; a Retry-After is honoured as the least wait. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: Random, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jitter = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jitter : Math.max(retryAfterMs, jitter);
}

export type RetryDecision =
  | { action: 'give-up'; reason: 'not-retryable' | 'retries-exhausted' | 'retry-after-too-long' }
  | { action: 'switch' }
  | { action: 'sleep'; delayMs: number };

export interface RetryInput {
  error: ProviderErrorData;
  /** Retries already made in this group. */
  retriesUsed: number;
  /** Whether another deployment of the group can be tried now. */
  healthyPeer: boolean;
  policy: RetryPolicy;
  random: Random;
}

/** After a failed attempt: give up (fallbacks next), move to a healthy peer at once, or sleep and try again. */
export function decideRetry({ error, retriesUsed, healthyPeer, policy, random }: RetryInput): RetryDecision {
  if (!isRetryable(error, policy)) return { action: 'give-up', reason: 'not-retryable' };
  if (retriesUsed >= policy.maxRetries) return { action: 'give-up', reason: 'retries-exhausted' };
  if (healthyPeer) return { action: 'switch' };
  if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) {
    return { action: 'give-up', reason: 'retry-after-too-long' };
  }
  return { action: 'sleep', delayMs: backoffDelay(retriesUsed + 1, policy, random, error.retryAfterMs) };
}
