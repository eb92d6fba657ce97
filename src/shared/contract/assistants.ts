import { z } from 'zod';
import { conversationSummarySchema } from '../domain';
import { route } from './route';

/**
 * Assistants: named presets of a system prompt, a model and call parameters, kept in
 * switchboard.yaml's `assistants:` list and chosen per conversation. Edits go through the config
 * schema (ranges, unique names) and are written back keeping the user's comments; a refusal is
 * `VALIDATION_FAILED` with the issues (`assistants[1].temperature: …`) in `error.data.issues`.
 */

export const REASONING_EFFORTS = ['low', 'medium', 'high'] as const;

/** The preset's fields. Types only here: ranges and unique names are the config schema's to check, so its paths name the field. */
export const assistantFieldsSchema = z.object({
  name: z.string().max(200),
  /** A group, an alias, `provider/model` or a local model. */
  model: z.string().max(500),
  system: z.string().max(100_000).optional(),
  temperature: z.number().optional(),
  topP: z.number().optional(),
  topK: z.number().optional(),
  maxOutputTokens: z.number().optional(),
  stop: z.array(z.string()).max(64).optional(),
  seed: z.number().optional(),
  frequencyPenalty: z.number().optional(),
  presencePenalty: z.number().optional(),
  reasoningEffort: z.enum(REASONING_EFFORTS).optional(),
});
export type AssistantFields = z.infer<typeof assistantFieldsSchema>;

export const assistantViewSchema = assistantFieldsSchema.extend({
  /** Why chats with it would fail now (its model is unknown), or null. */
  problem: z.string().nullable(),
});
export type AssistantView = z.infer<typeof assistantViewSchema>;

export const assistantsViewSchema = z.object({ assistants: z.array(assistantViewSchema) });
export type AssistantsView = z.infer<typeof assistantsViewSchema>;

export const assistantsContract = {
  'assistants.list': route({ input: z.object({}).default({}), output: assistantsViewSchema }),
  /**
   * Adds an assistant, or edits the one named `previousName` (renaming it when `assistant.name`
   * differs: conversations using the old name follow it). The model must be one chats can use.
   */
  'assistants.save': route({
    input: z.object({ previousName: z.string().min(1).optional(), assistant: assistantFieldsSchema }),
    output: assistantsViewSchema,
  }),
  /** Deletes it from the file; its conversations keep working with their model and say it is gone. */
  'assistants.remove': route({ input: z.object({ name: z.string().min(1) }), output: assistantsViewSchema }),
  /** Sets (or clears, with null) the assistant a conversation uses from its next message on. */
  'assistants.use': route({
    input: z.object({ conversationId: z.string().min(1), assistant: z.string().min(1).nullable() }),
    output: conversationSummarySchema,
  }),
} as const;
