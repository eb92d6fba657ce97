import { z } from 'zod';

export const unifiedFinishReasonSchema = z.enum([
  'stop',
  'length',
  'content-filter',
  'tool-calls',
  'error',
  'aborted',
  'other',
]);

export const finishReasonSchema = z.object({
  unified: unifiedFinishReasonSchema,
  /** The provider's own word for it, kept for display and debugging. */
  raw: z.string().optional(),
});

export type UnifiedFinishReason = z.infer<typeof unifiedFinishReasonSchema>;
export type FinishReason = z.infer<typeof finishReasonSchema>;
