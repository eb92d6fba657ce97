import { describe, expect, it } from 'vitest';
import type { ProviderErrorData, ProviderErrorKind } from '../../shared/llm';
import { ProviderError } from '../../shared/llm';
import { backoffDelay, decideRetry, DEFAULT_RETRY_POLICY, isRetryable } from './retry-policy';

const err = (kind: ProviderErrorKind, extra: Partial<ProviderErrorData> = {}): ProviderErrorData => ({
  ...new ProviderError({ kind, message: kind }).toData(),
  ...extra,
});
const policy = DEFAULT_RETRY_POLICY;

describe('retry policy', () => {
  it.each(['rate_limit', 'timeout', 'connection', 'server', 'engine_crashed'] as const)('retries %s', (kind) => {
    expect(isRetryable(err(kind), policy)).toBe(true);
  });

  it.each(['auth', 'bad_request', 'not_found', 'content_filter', 'context_length', 'budget', 'aborted'] as const)('does not retry %s', (kind) => {
    expect(isRetryable(err(kind), policy)).toBe(false);
  });

  it('never retries an abort, even when told to; respects an adapter saying retryable: false', () => {
    expect(isRetryable(err('aborted', { retryable: true }), { ...policy, retryOn: new Set(['aborted']) })).toBe(false);
    expect(isRetryable(err('rate_limit', { retryable: false }), policy)).toBe(false);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const p = { ...policy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, p, () => 0.999)).toBe(99);
    expect(backoffDelay(2, p, () => 0.999)).toBe(199);
    expect(backoffDelay(3, p, () => 0.5)).toBe(200);
    expect(backoffDelay(10, p, () => 0.999)).toBe(999);
    expect(backoffDelay(1, p, () => 0)).toBe(0);
  });

  it('honours Retry-After as the least wait', () => {
    const p = { ...policy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, p, () => 0.5, 2500)).toBe(2500);
    expect(backoffDelay(4, p, () => 0.9, 10)).toBe(720);
  });

  it('decides: give up, switch to a healthy peer at once, or sleep', () => {
    const random = () => 0.5;
    expect(decideRetry({ error: err('auth'), retriesUsed: 0, healthyPeer: true, policy, random })).toEqual({ action: 'give-up', reason: 'not-retryable' });
    expect(decideRetry({ error: err('server'), retriesUsed: 2, healthyPeer: true, policy, random })).toEqual({ action: 'give-up', reason: 'retries-exhausted' });
    expect(decideRetry({ error: err('rate_limit', { retryAfterMs: 5000 }), retriesUsed: 0, healthyPeer: true, policy, random })).toEqual({ action: 'switch' });
    expect(decideRetry({ error: err('rate_limit', { retryAfterMs: 5000 }), retriesUsed: 0, healthyPeer: false, policy, random })).toEqual({ action: 'sleep', delayMs: 5000 });
    expect(decideRetry({ error: err('server'), retriesUsed: 1, healthyPeer: false, policy, random })).toEqual({ action: 'sleep', delayMs: 500 });
    expect(decideRetry({ error: err('rate_limit', { retryAfterMs: 120_000 }), retriesUsed: 0, healthyPeer: false, policy, random })).toEqual({
      action: 'give-up',
      reason: 'retry-after-too-long',
    });
  });
});
