import { z } from 'zod';
import { finishReasonSchema } from './finish-reason';
import { providerErrorDataSchema } from './provider-error';
import { usageSchema } from './usage';

/** A parameter or feature the model could not honour. Warnings are data, never failures. */
export const callWarningSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('unsupported'), feature: z.string(), details: z.string().optional() }),
  z.object({ type: z.literal('other'), message: z.string() }),
]);
export type CallWarning = z.infer<typeof callWarningSchema>;

export const streamPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stream-start'), warnings: z.array(callWarningSchema) }),
  z.object({ type: z.literal('text-start'), id: z.string() }),
  z.object({ type: z.literal('text-delta'), id: z.string(), delta: z.string() }),
  z.object({ type: z.literal('text-end'), id: z.string() }),
  z.object({ type: z.literal('reasoning-start'), id: z.string() }),
  z.object({ type: z.literal('reasoning-delta'), id: z.string(), delta: z.string() }),
  z.object({ type: z.literal('reasoning-end'), id: z.string() }),
  z.object({
    type: z.literal('tool-call'),
    toolCallId: z.string(),
    toolName: z.string(),
    /** The arguments as JSON text, exactly as the model produced them. */
    input: z.string(),
  }),
  z.object({
    type: z.literal('response-metadata'),
    id: z.string().optional(),
    modelId: z.string().optional(),
    timestamp: z.number().optional(),
  }),
  z.object({ type: z.literal('error'), error: providerErrorDataSchema }),
  z.object({ type: z.literal('finish'), usage: usageSchema, finishReason: finishReasonSchema }),
]);

export type StreamPart = z.infer<typeof streamPartSchema>;
export type StreamPartOf<T extends StreamPart['type']> = Extract<StreamPart, { type: T }>;
