import { describe, expect, it } from 'vitest';
import { encodePlan, fitWithin, needsReencode } from './fit';

describe('fitWithin', () => {
  it('keeps an image that fits, and scales the longest side of one that does not', () => {
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600, scaled: false });
    expect(fitWithin(2048, 100)).toEqual({ width: 2048, height: 100, scaled: false });
    expect(fitWithin(4096, 3072)).toEqual({ width: 2048, height: 1536, scaled: true });
    expect(fitWithin(3000, 4000)).toEqual({ width: 1536, height: 2048, scaled: true });
    expect(fitWithin(1000, 10, 100)).toEqual({ width: 100, height: 1, scaled: true });
    expect(fitWithin(100_000, 1)).toEqual({ width: 2048, height: 1, scaled: true });
  });

  it('refuses an image with no size', () => {
    expect(() => fitWithin(0, 10)).toThrow(/must have a size/);
    expect(() => fitWithin(Number.NaN, 10)).toThrow(/must have a size/);
  });
});

describe('needsReencode', () => {
  it('is true for too many pixels or too many bytes', () => {
    expect(needsReencode(1024, 768, 200_000)).toBe(false);
    expect(needsReencode(2049, 10, 1_000)).toBe(true);
    expect(needsReencode(100, 100, 10 * 1024 * 1024)).toBe(true);
  });
});

describe('encodePlan', () => {
  it('tries the source-like type at the fitted size first, then JPEG, then smaller JPEGs', () => {
    const plan = encodePlan(4096, 2048, 'image/png');
    expect(plan[0]).toEqual({ width: 2048, height: 1024, mediaType: 'image/png' });
    expect(plan.slice(1, 4).map((s) => s.quality)).toEqual([0.9, 0.8, 0.65]);
    const sides = plan.map((s) => Math.max(s.width, s.height));
    expect(sides.every((side, i) => i === 0 || side <= sides[i - 1]!)).toBe(true);
    expect(Math.max(...sides)).toBeLessThanOrEqual(2048);
    expect(plan.at(-1)).toMatchObject({ width: 512, height: 256, mediaType: 'image/jpeg' });
  });

  it('starts a JPEG with JPEG, and a WebP with WebP', () => {
    expect(encodePlan(3000, 3000, 'image/jpeg')[0]).toEqual({ width: 2048, height: 2048, mediaType: 'image/jpeg', quality: 0.9 });
    expect(encodePlan(100, 100, 'image/webp')[0]).toEqual({ width: 100, height: 100, mediaType: 'image/webp', quality: 0.9 });
  });
});
