import { describe, expect, it } from 'vitest';
import { createToken, tokensEqual } from './token';

describe('token', () => {
  it('is random, URL-safe and long enough', () => {
    const a = createToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createToken()).not.toBe(a);
  });

  it('compares exactly', () => {
    const t = createToken();
    expect(tokensEqual(t, t)).toBe(true);
    expect(tokensEqual(t, `${t}x`)).toBe(false);
    expect(tokensEqual(t, t.slice(1))).toBe(false);
    expect(tokensEqual(t, '')).toBe(false);
    expect(tokensEqual(t, null)).toBe(false);
  });
});
