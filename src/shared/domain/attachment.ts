import { z } from 'zod';
import { ATTACHMENT_ID_PATTERN, IMAGE_MEDIA_TYPES } from '../image-type';

export const attachmentIdSchema = z
  .string()
  .regex(ATTACHMENT_ID_PATTERN, 'expected an attachment id (the sha256 of its bytes, 64 lowercase hex digits)');

/** An image stored by its content hash in `<dataDir>/attachments/`, as a message refers to it. */
export const attachmentRefSchema = z.object({
  id: attachmentIdSchema,
  mediaType: z.enum(IMAGE_MEDIA_TYPES),
  size: z.number().int().nonnegative(),
});
export type AttachmentRef = z.infer<typeof attachmentRefSchema>;
