import { z } from 'zod';

export const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });

/** Images travel as base64 (no `data:` prefix) or as an http(s) URL. Exactly one of the two. */
export const imagePartSchema = z
  .object({
    type: z.literal('image'),
    mediaType: z.string().regex(/^image\/[\w.+-]+$/, 'expected an image media type such as image/png'),
    data: z.string().min(1).optional(),
    url: z.url().optional(),
  })
  .refine((p) => (p.data === undefined) !== (p.url === undefined), {
    message: 'an image part needs exactly one of data (base64) or url',
  });

export const reasoningPartSchema = z.object({ type: z.literal('reasoning'), text: z.string() });

export const toolCallPartSchema = z.object({
  type: z.literal('tool-call'),
  toolCallId: z.string(),
  toolName: z.string(),
  input: z.unknown(),
});

export const toolResultPartSchema = z.object({
  type: z.literal('tool-result'),
  toolCallId: z.string(),
  toolName: z.string(),
  output: z.unknown(),
  isError: z.boolean().optional(),
});

export type TextPart = z.infer<typeof textPartSchema>;
export type ImagePart = z.infer<typeof imagePartSchema>;
export type ReasoningPart = z.infer<typeof reasoningPartSchema>;
export type ToolCallPart = z.infer<typeof toolCallPartSchema>;
export type ToolResultPart = z.infer<typeof toolResultPartSchema>;
