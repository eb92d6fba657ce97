import { z } from 'zod';
import { localModelEntrySchema } from '../domain';
import { route } from './route';

export const modelsContract = {
  'models.local.list': route({
    input: z.object({}).default({}),
    output: z.array(localModelEntrySchema),
  }),
} as const;
