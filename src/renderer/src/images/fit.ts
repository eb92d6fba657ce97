import { MAX_IMAGE_SIDE, TARGET_ATTACHMENT_BYTES, type ImageMediaType } from '../../../shared/image-type';

/** The size an image is sent at: its own when it fits, else scaled so its longest side is `maxSide`. */
export function fitWithin(width: number, height: number, maxSide = MAX_IMAGE_SIDE): { width: number; height: number; scaled: boolean } {
  if (!(width > 0 && height > 0)) throw new Error(`an image must have a size (got ${width}×${height})`);
  const longest = Math.max(width, height);
  if (longest <= maxSide) return { width, height, scaled: false };
  const scale = maxSide / longest;
  // Round, but never to 0 (a 10000×1 strip stays 1 px tall).
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), scaled: true };
}

/** Whether an image can go as it is: small enough in pixels and in bytes (GIFs keep their animation then). */
export function needsReencode(width: number, height: number, size: number, options: { maxSide?: number; targetBytes?: number } = {}): boolean {
  return Math.max(width, height) > (options.maxSide ?? MAX_IMAGE_SIDE) || size > (options.targetBytes ?? TARGET_ATTACHMENT_BYTES);
}

export interface EncodeStep {
  width: number;
  height: number;
  mediaType: Extract<ImageMediaType, 'image/png' | 'image/jpeg' | 'image/webp'>;
  /** For lossy types; undefined for PNG. */
  quality?: number;
}

/**
 * The encodings to try, in order, until one is under the byte target: first the fitted size in a
 * type close to the source (PNG stays PNG for screenshots and line art, which JPEG blurs), then
 * JPEG at falling quality, then smaller and smaller JPEGs. Finite, so a stubborn image ends with a
 * clear "too large" instead of a loop.
 */
export function encodePlan(width: number, height: number, source: ImageMediaType, maxSide = MAX_IMAGE_SIDE): EncodeStep[] {
  const fitted = fitWithin(width, height, maxSide);
  const steps: EncodeStep[] = [];
  const at = (w: number, h: number, mediaType: EncodeStep['mediaType'], quality?: number) =>
    steps.push({ width: w, height: h, mediaType, ...(quality !== undefined && { quality }) });
  if (source === 'image/png' || source === 'image/gif') at(fitted.width, fitted.height, 'image/png');
  else if (source === 'image/webp') at(fitted.width, fitted.height, 'image/webp', 0.9);
  for (const quality of [0.9, 0.8, 0.65]) at(fitted.width, fitted.height, 'image/jpeg', quality);
  for (const factor of [0.75, 0.5, 0.35, 0.25]) {
    const smaller = fitWithin(fitted.width, fitted.height, Math.max(64, Math.round(Math.max(fitted.width, fitted.height) * factor)));
    at(smaller.width, smaller.height, 'image/jpeg', 0.75);
  }
  return steps;
}
