import { MAX_ATTACHMENT_BYTES, TARGET_ATTACHMENT_BYTES, type ImageMediaType, describeTooLarge } from '../../../shared/image-type';
import { encodePlan, needsReencode } from './fit';

export interface PreparedImage {
  bytes: Uint8Array;
  mediaType: ImageMediaType;
  width: number;
  height: number;
  /** Set when the image was re-encoded smaller: its size before. */
  original: { width: number; height: number; size: number } | null;
}

/** Turns sniffed image bytes into what is sent: as they are when small enough, else downscaled. */
export type PrepareImage = (bytes: Uint8Array, mediaType: ImageMediaType, name: string) => Promise<PreparedImage>;

/**
 * The browser's implementation: decode with createImageBitmap (off the main thread where the
 * browser can), draw to a canvas at the planned size, encode, and stop at the first encoding under
 * the target. A decode failure (a corrupt file with a good signature) is an error the user sees.
 */
export const prepareImageInBrowser: PrepareImage = async (bytes, mediaType, name) => {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type: mediaType }));
  } catch {
    throw new Error(`${name} could not be read as an image (the file may be damaged)`);
  }
  try {
    const { width, height } = bitmap;
    if (!needsReencode(width, height, bytes.length)) return { bytes, mediaType, width, height, original: null };
    let smallest: { blob: Blob; step: ReturnType<typeof encodePlan>[number] } | undefined;
    for (const step of encodePlan(width, height, mediaType)) {
      const blob = await encode(bitmap, step.width, step.height, step.mediaType, step.quality);
      if (smallest === undefined || blob.size < smallest.blob.size) smallest = { blob, step };
      if (blob.size <= TARGET_ATTACHMENT_BYTES) break;
    }
    if (smallest === undefined || smallest.blob.size > MAX_ATTACHMENT_BYTES) {
      throw new Error(describeTooLarge(name, smallest?.blob.size ?? bytes.length));
    }
    return {
      bytes: new Uint8Array(await smallest.blob.arrayBuffer()),
      mediaType: smallest.step.mediaType,
      width: smallest.step.width,
      height: smallest.step.height,
      original: { width, height, size: bytes.length },
    };
  } finally {
    bitmap.close();
  }
};

async function encode(bitmap: ImageBitmap, width: number, height: number, type: string, quality?: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('this browser cannot draw images (no 2D canvas)');
    if (type === 'image/jpeg') fillWhite(context, width, height); // JPEG has no transparency: white, not black
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type, ...(quality !== undefined && { quality }) });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('this browser cannot draw images (no 2D canvas)');
  if (type === 'image/jpeg') fillWhite(context, width, height);
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob === null ? reject(new Error('the image could not be encoded')) : resolve(blob)), type, quality),
  );
}

function fillWhite(context: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D, width: number, height: number) {
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
}
