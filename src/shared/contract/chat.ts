import { z } from 'zod';
import { attachmentIdSchema, attemptEventSchema } from '../domain';
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../image-type';
import { imagePartSchema, streamPartSchema } from '../llm';
import { route, streamRoute } from './route';

export const chatEventSchema = z.union([
  /** First chunk of every send: where the exchange is stored. */
  z.object({
    type: z.literal('chat-start'),
    conversationId: z.string(),
    userMessageId: z.string(),
    assistantMessageId: z.string(),
    requestId: z.string(),
    model: z.string(),
  }),
  streamPartSchema,
  /** An attempt of the routed call ended (which deployment, its outcome): after it, before the next part. */
  attemptEventSchema,
]);
export type ChatEvent = z.infer<typeof chatEventSchema>;

export const chatContract = {
  'chat.send': streamRoute({
    input: z.object({
      /** Omit to start a new conversation. */
      conversationId: z.string().min(1).optional(),
      /** Required unless an assistant (this send's, or the conversation's) gives one. */
      model: z.string().min(1, 'choose a model').optional(),
      /** An assistant from switchboard.yaml: its system prompt goes first, its model and parameters apply unless given here. The conversation records it. */
      assistant: z.string().min(1).optional(),
      text: z.string().max(200_000),
      images: z.array(imagePartSchema).max(16).optional(),
      /** Stored images (`attachments.put`) to send with the text; kept on the user message, so history re-sends them. */
      attachments: z.array(attachmentIdSchema).max(MAX_ATTACHMENTS_PER_MESSAGE).optional(),
      system: z.string().max(50_000).optional(),
      maxOutputTokens: z.number().int().positive().max(1_000_000).optional(),
      temperature: z.number().min(0).max(2).optional(),
    }),
    chunk: chatEventSchema,
  }),
  /** Stops whatever is generating in a conversation (from any window). */
  'chat.abort': route({
    input: z.object({ conversationId: z.string().min(1) }),
    output: z.object({ aborted: z.boolean() }),
  }),
} as const;
