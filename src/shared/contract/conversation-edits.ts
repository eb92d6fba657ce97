import { z } from 'zod';
import { conversationSummarySchema, messageRouteSchema } from '../domain';
import { route } from './route';

export const conversationSearchHitSchema = z.object({
  conversation: conversationSummarySchema,
  /** A short excerpt of the first message that matched, around the match; null when only the title did. */
  snippet: z.string().nullable(),
});
export type ConversationSearchHit = z.infer<typeof conversationSearchHitSchema>;

export const conversationEditsContract = {
  /** Conversations whose title or messages contain the text (case-insensitive), most recent first. */
  'conversations.search': route({
    input: z.object({
      query: z.string().trim().min(1, 'type something to search for').max(200),
      limit: z.number().int().positive().max(200).default(50),
    }),
    output: z.array(conversationSearchHitSchema),
  }),
  /**
   * How one stored reply was served (what `conversations.get` gives each message), without reading
   * the whole conversation: the chat asks for it once a reply is recorded. null for a message with
   * no routed request (a question, an older row).
   */
  'conversations.route': route({
    input: z.object({ messageId: z.string().min(1) }),
    output: messageRouteSchema.nullable(),
  }),
  /**
   * Deletes a message and everything after it (edit-and-resend, regenerate); the calls rows stay,
   * so usage and cost are never lost. CONFLICT while a reply is being written.
   */
  'conversations.truncate': route({
    input: z.object({ conversationId: z.string().min(1), fromMessageId: z.string().min(1) }),
    output: z.object({ deleted: z.number().int().nonnegative() }),
  }),
} as const;
