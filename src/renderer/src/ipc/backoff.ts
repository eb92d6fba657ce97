export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** The share of each delay that is random, so many windows don't reconnect in step. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 5000, jitter: 0.3 };

/** Exponential delay for reconnect attempt `attempt` (0-based), capped, with jitter below the cap. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (1 - options.jitter * random()));
}
