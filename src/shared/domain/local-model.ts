import { z } from 'zod';

/** A .gguf file found in a models folder. `error` is set when it cannot be loaded, and says why. */
export const localModelEntrySchema = z.object({
  /** `local/<file name without .gguf>`: what callers pass as the model. */
  id: z.string(),
  name: z.string(),
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  architecture: z.string().nullable(),
  parameterCount: z.number().nullable(),
  quantization: z.string().nullable(),
  contextLength: z.number().int().nullable(),
  hasChatTemplate: z.boolean(),
  error: z.string().nullable(),
});
export type LocalModelEntry = z.infer<typeof localModelEntrySchema>;
