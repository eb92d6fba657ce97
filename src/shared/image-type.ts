/**
 * Image attachments: which types we take, how big, and how to tell the type from the bytes.
 * Pure (no zod, no Node) so the renderer checks a dropped file with the same rules the core
 * enforces again when it stores it: the extension and the browser's MIME guess are never trusted.
 */

export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];

/** The most bytes one stored attachment may have (after the renderer's downscale). */
export const MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024;
/** What the renderer aims under when it re-encodes an image before sending. */
export const TARGET_ATTACHMENT_BYTES = 3 * 1024 * 1024;
/** The longest side, in pixels, an image is sent with; larger ones are downscaled first. */
export const MAX_IMAGE_SIDE = 2048;
/** Images one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 8;

/** A sha256 hex digest: an attachment's id. */
export const ATTACHMENT_ID_PATTERN = /^[0-9a-f]{64}$/;

const startsWith = (bytes: Uint8Array, offset: number, signature: readonly number[]) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The image type the bytes are, by their magic numbers; null for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageMediaType | null {
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, 0, ascii('GIF87a')) || startsWith(bytes, 0, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, 0, ascii('RIFF')) && startsWith(bytes, 8, ascii('WEBP'))) return 'image/webp';
  return null;
}

/** Why a file is not an image we take, for the user ("notes.png is not an image…"). */
export function describeNotAnImage(name: string): string {
  return `${name} is not an image Switchboard can send: its contents are not PNG, JPEG, GIF or WebP, whatever its name says`;
}

export function describeTooLarge(name: string, size: number, limit = MAX_ATTACHMENT_BYTES): string {
  return `${name} is too large (${formatBytes(size)}; the limit is ${formatBytes(limit)} after downscaling)`;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(size < 10 * 1024 ? 1 : 0)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}
