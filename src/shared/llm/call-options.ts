import { z } from 'zod';
import { messageSchema } from './message';

export const toolDefinitionSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  /** JSON Schema of the tool's input. */
  inputSchema: z.record(z.string(), z.unknown()),
});

export const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('tool'), toolName: z.string() }),
]);

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json') }),
  z.object({
    type: z.literal('json-schema'),
    schema: z.record(z.string(), z.unknown()),
    name: z.string().optional(),
  }),
]);

export const reasoningOptionsSchema = z.object({
  effort: z.enum(['low', 'medium', 'high']).optional(),
  budgetTokens: z.number().int().positive().optional(),
});

/** Everything of a call that can be serialized: what crosses IPC and HTTP. */
export const callSettingsSchema = z.object({
  messages: z.array(messageSchema).min(1),
  system: z.string().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  topK: z.number().int().positive().optional(),
  stop: z.array(z.string().min(1)).max(16).optional(),
  seed: z.number().int().optional(),
  tools: z.array(toolDefinitionSchema).optional(),
  toolChoice: toolChoiceSchema.optional(),
  responseFormat: responseFormatSchema.optional(),
  reasoning: reasoningOptionsSchema.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Vendor-specific options, namespaced by provider: `{ openai: { user: 'x' } }`. */
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

export type ToolDefinition = z.infer<typeof toolDefinitionSchema>;
export type ToolChoice = z.infer<typeof toolChoiceSchema>;
export type ResponseFormat = z.infer<typeof responseFormatSchema>;
export type ReasoningOptions = z.infer<typeof reasoningOptionsSchema>;
export type CallSettings = z.infer<typeof callSettingsSchema>;

export interface CallOptions extends CallSettings {
  abortSignal?: AbortSignal;
}
