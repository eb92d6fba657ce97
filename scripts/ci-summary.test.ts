import { describe, expect, it } from 'vitest';
import { countPlaywright, countVitest, summarize } from './ci-summary.mjs';

describe('ci summary', () => {
  it('adds vitest and Playwright counts into one plain line', () => {
    const vitest = countVitest({ numPassedTests: 40, numFailedTests: 1, numPendingTests: 2 });
    const playwright = countPlaywright({ stats: { expected: 5, unexpected: 0, flaky: 1, skipped: 1 } });
    expect(summarize([vitest, playwright], 1)).toBe('46 passed, 1 failed, 3 skipped');
  });

  it('counts a failing step that no report saw (typecheck, lint) as one failure', () => {
    expect(summarize([countVitest(undefined), countPlaywright(undefined)], 2)).toBe('0 passed, 1 failed, 0 skipped');
  });

  it('reads missing fields as zero', () => {
    expect(summarize([countVitest({}), countPlaywright({ stats: {} })], 0)).toBe('0 passed, 0 failed, 0 skipped');
  });
});
