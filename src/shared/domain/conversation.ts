import { z } from 'zod';
import { providerErrorDataSchema, usageSchema } from '../llm';

export const conversationSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  model: z.string().nullable(),
  messageCount: z.number().int().nonnegative(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

/** complete: finished normally; streaming: still being written; aborted: stopped by the user; error: failed. */
export const messageStatusSchema = z.enum(['complete', 'streaming', 'aborted', 'error']);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const chatMessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  model: z.string().nullable(),
  status: messageStatusSchema,
  createdAt: z.number(),
  usage: usageSchema.nullable(),
  error: providerErrorDataSchema.nullable(),
  latencyMs: z.number().nullable(),
  ttftMs: z.number().nullable(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const conversationDetailSchema = z.object({
  conversation: conversationSummarySchema,
  messages: z.array(chatMessageSchema),
});
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;
