import { z } from 'zod';
import { providerErrorDataSchema, usageSchema } from '../llm';
import { attachmentRefSchema } from './attachment';
import { storedToolCallSchema } from './message-extras';
import { messageRouteSchema } from './message-route';

export const conversationSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  model: z.string().nullable(),
  /** The assistant (a preset in switchboard.yaml) it uses, by name; it may since have been deleted or renamed. */
  assistant: z.string().nullable().optional(),
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
  /** Images the user attached (user messages only); absent when none. */
  attachments: z.array(attachmentRefSchema).optional(),
  /** The routed request an assistant reply came from (absent on older rows and user messages). */
  requestId: z.string().optional(),
  /** How the reply was served (conversations.get): deployment, fallbacks, tokens, cost, timings. */
  route: messageRouteSchema.optional(),
  /** The model's reasoning (assistant replies of thinking models); absent when there was none. */
  reasoning: z.string().optional(),
  /** Tools the model asked to call, in order; absent when none. */
  toolCalls: z.array(storedToolCallSchema).optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const conversationDetailSchema = z.object({
  conversation: conversationSummarySchema,
  messages: z.array(chatMessageSchema),
});
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;
