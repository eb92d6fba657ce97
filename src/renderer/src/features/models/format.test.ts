import { describe, expect, it } from 'vitest';
import { formatBytes, formatParameters, formatPrice } from './format';

describe('formatBytes', () => {
  it('uses binary units with at most three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(397_807_616)).toBe('379 MB');
    expect(formatBytes(4.37 * 1024 ** 3)).toBe('4.37 GB');
    expect(formatBytes(12.34 * 1024 ** 3)).toBe('12.3 GB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3 TB');
  });

  it('keeps unknown or nonsense visibly unknown', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatParameters', () => {
  it('writes counts as model cards do', () => {
    expect(formatParameters(494_032_768)).toBe('494M');
    expect(formatParameters(7_241_732_096)).toBe('7.2B');
    expect(formatParameters(70_553_706_496)).toBe('71B');
    expect(formatParameters(1_100_000_000_000)).toBe('1.1T');
    expect(formatParameters(24_000)).toBe('24K');
    expect(formatParameters(null)).toBe('—');
    expect(formatParameters(0)).toBe('—');
  });
});

describe('formatPrice', () => {
  it('shows dollars per million tokens, free for zero, — for unknown', () => {
    expect(formatPrice(0.15)).toBe('$0.15');
    expect(formatPrice(2.5)).toBe('$2.5');
    expect(formatPrice(0.0025)).toBe('$0.0025');
    expect(formatPrice(0)).toBe('free');
    expect(formatPrice(null)).toBe('—');
  });
});
