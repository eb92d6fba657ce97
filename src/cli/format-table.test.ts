import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatTable } from './format-table';

describe('formatTable', () => {
  it('pads columns and right-aligns numbers', () => {
    expect(formatTable(['NAME', 'N'], [['a', '1'], ['long-name', '100']], new Set([1]))).toBe(
      'NAME         N\na            1\nlong-name  100\n',
    );
  });
});

describe('formatBytes / formatCount', () => {
  it('reads at a glance', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(933_888)).toBe('912 KB');
    expect(formatBytes(4.5 * 1024 ** 3)).toBe('4.5 GB');
    expect(formatCount(227_000)).toBe('227.0K');
    expect(formatCount(7_241_732_096)).toBe('7.2B');
  });
});
