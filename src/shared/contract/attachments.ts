import { z } from 'zod';
import { attachmentIdSchema, attachmentRefSchema } from '../domain';
import { MAX_ATTACHMENT_BYTES } from '../image-type';
import { route } from './route';

/** Base64 of MAX_ATTACHMENT_BYTES, with its padding. */
const MAX_BASE64_CHARS = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;

export const attachmentsContract = {
  /**
   * Stores an image by the sha256 of its bytes (the same bytes twice are stored once). The core
   * checks the type by its magic bytes and the size: a text file named `.png` is refused.
   */
  'attachments.put': route({
    input: z.object({
      /** The file's bytes, base64 (no `data:` prefix). */
      data: z
        .string()
        .min(1, 'the file is empty')
        .max(MAX_BASE64_CHARS, `the file is over the ${MAX_ATTACHMENT_BYTES / (1024 * 1024)} MB limit`)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64 data (no data: prefix)'),
      /** The file's name, for error messages only. */
      name: z.string().max(255).optional(),
    }),
    output: attachmentRefSchema,
  }),
  /** An attachment's bytes, for showing a stored message's images. */
  'attachments.get': route({
    input: z.object({ id: attachmentIdSchema }),
    output: attachmentRefSchema.extend({ data: z.string() }),
  }),
} as const;
