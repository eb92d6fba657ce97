import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { initialMs: 250, maxMs: 5000, jitter: 0.3 };
  it('doubles from the initial delay up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, options, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });
  it('takes jitter off the top, never adding to it', () => {
    expect(backoffDelay(0, options, () => 1)).toBe(175);
    expect(backoffDelay(50, options, () => 0.5)).toBe(4250);
  });
});
