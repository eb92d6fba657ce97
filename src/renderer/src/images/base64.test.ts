import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64';

describe('base64', () => {
  it('round-trips bytes, including more than one chunk', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 255);
    const text = toBase64(bytes);
    expect(text).toHaveLength(Math.ceil(bytes.length / 3) * 4);
    expect(text.startsWith(toBase64(bytes.subarray(0, 30)))).toBe(true);
    expect(fromBase64(text)).toEqual(bytes);
    expect(toBase64(new Uint8Array())).toBe('');
    expect(toBase64(new TextEncoder().encode('Many hands'))).toBe('TWFueSBoYW5kcw==');
    expect(toBase64(Uint8Array.of(0xff, 0xfe, 0x00))).toBe('//4A');
  });
});
