import { z } from 'zod';

/** A tool the model asked to call, kept with its assistant message. */
export const storedToolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The arguments as the model wrote them (JSON text, kept even when it is not valid JSON). */
  input: z.string(),
  /** What the tool returned, as text, when it was run; absent when it was not. */
  result: z.string().optional(),
  /** The result is the tool's error. */
  isError: z.boolean().optional(),
});
export type StoredToolCall = z.infer<typeof storedToolCallSchema>;
