import { z } from 'zod';
import { usageSummarySchema } from '../domain';
import { route } from './route';

export const usageContract = {
  'usage.summary': route({
    input: z
      .object({
        /** Epoch milliseconds, inclusive. */
        from: z.number().int().nonnegative().optional(),
        /** Epoch milliseconds, exclusive. */
        to: z.number().int().nonnegative().optional(),
      })
      .default({}),
    output: usageSummarySchema,
  }),
} as const;
