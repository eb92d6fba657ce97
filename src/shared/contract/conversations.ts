import { z } from 'zod';
import { conversationDetailSchema, conversationSummarySchema } from '../domain';
import { route } from './route';

export const conversationsContract = {
  'conversations.list': route({
    input: z.object({ limit: z.number().int().positive().max(1000).default(200) }).default({ limit: 200 }),
    output: z.array(conversationSummarySchema),
  }),
  'conversations.get': route({
    input: z.object({ id: z.string().min(1) }),
    output: conversationDetailSchema,
  }),
} as const;
