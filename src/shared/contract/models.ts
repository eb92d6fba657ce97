import { z } from 'zod';
import { localModelEntrySchema, modelsListSchema } from '../domain';
import { route } from './route';

export const modelsContract = {
  'models.local.list': route({
    input: z.object({}).default({}),
    output: z.array(localModelEntrySchema),
  }),
  /**
   * Every selectable model, grouped by provider (`local` first): local files, then per configured
   * provider its live model list (short timeout; a failure is that provider's `error`, never the
   * route's), or the catalog's known models, or what the mock offers. Live lists are cached for a
   * minute per config; `refresh` asks again.
   */
  'models.list': route({
    input: z.object({ refresh: z.boolean().optional() }).default({}),
    output: modelsListSchema,
  }),
} as const;
