import { z } from 'zod';
import {
  imagePartSchema,
  reasoningPartSchema,
  textPartSchema,
  toolCallPartSchema,
  toolResultPartSchema,
} from './content';

export const userMessageSchema = z.object({
  role: z.literal('user'),
  content: z.array(z.union([textPartSchema, imagePartSchema])).min(1),
});

export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.array(z.union([textPartSchema, reasoningPartSchema, toolCallPartSchema])),
});

export const toolMessageSchema = z.object({
  role: z.literal('tool'),
  content: z.array(toolResultPartSchema).min(1),
});

export const messageSchema = z.discriminatedUnion('role', [
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
]);

export type UserMessage = z.infer<typeof userMessageSchema>;
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;
export type ToolMessage = z.infer<typeof toolMessageSchema>;
export type Message = z.infer<typeof messageSchema>;

/** Concatenated text of a message, ignoring non-text parts. */
export function messageText(message: Message): string {
  return message.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
}
