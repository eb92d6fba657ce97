import { describe, expect, it } from 'vitest';
import { maskKey } from './mask-key';

describe('maskKey', () => {
  it('keeps the kind prefix and the last four characters at most', () => {
    expect(maskKey('sk-proj-abcdefghijklmnop1234')).toBe('sk-…1234');
    expect(maskKey('AZUREKEY0123456789abcdef')).toBe('…cdef');
    expect(maskKey('sk-short')).toBe('sk-…');
    expect(maskKey('tiny')).toBe('…');
  });
});
