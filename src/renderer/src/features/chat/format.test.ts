import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatUsage, shortModelName, tokensPerSecond } from './format';
import { parseMaxTokens } from './max-tokens';

describe('format', () => {
  it('keeps unknown counts visibly unknown', () => {
    expect(formatCount(undefined)).toBe('—');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatUsage({ inputTokens: { total: 12 }, outputTokens: {} })).toBe('12 in · — out');
    expect(formatUsage(null)).toBe('tokens unknown');
  });

  it('formats durations for people', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(850.4)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it('computes output speed after the first token', () => {
    expect(tokensPerSecond({ inputTokens: {}, outputTokens: { total: 101 } }, 1100, 100)).toBe(100);
    expect(tokensPerSecond({ inputTokens: {}, outputTokens: {} }, 1100, 100)).toBeNull();
    expect(tokensPerSecond(null, 1100, 100)).toBeNull();
  });

  it('drops the provider prefix from model ids', () => {
    expect(shortModelName('local/tiny-test')).toBe('tiny-test');
    expect(shortModelName('gpt-4o')).toBe('gpt-4o');
    expect(shortModelName(null)).toBe('unknown model');
  });
});

describe('parseMaxTokens', () => {
  it('accepts blank (the default) and whole numbers in range', () => {
    expect(parseMaxTokens('  ')).toEqual({ ok: true, value: undefined });
    expect(parseMaxTokens('4000')).toEqual({ ok: true, value: 4000 });
  });
  it('refuses anything else with a reason', () => {
    expect(parseMaxTokens('1.5').ok).toBe(false);
    expect(parseMaxTokens('0').ok).toBe(false);
    expect(parseMaxTokens('2000000').ok).toBe(false);
  });
});
