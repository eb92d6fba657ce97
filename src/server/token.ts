import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh secret per server start; 32 random bytes, URL-safe so it can sit in `?token=`. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares in constant time. Both sides are hashed first so that neither the length
 * of the expected token nor the position of the first wrong byte leaks through timing.
 */
export function tokensEqual(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
