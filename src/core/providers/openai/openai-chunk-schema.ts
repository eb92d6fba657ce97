import { z } from 'zod';

const text = z.string().nullish();

/** One piece of a streamed tool call: the id and name come first, the arguments in pieces. */
const toolCallDeltaSchema = z.looseObject({
  index: z.number().int().nonnegative().nullish(),
  id: text,
  function: z.looseObject({ name: text, arguments: text }).nullish(),
});

/**
 * A `chat.completion.chunk` as the adapter reads it, checked once per event. Lenient where
 * compatible servers differ (fields left out or null; more fields than OpenAI's, such as
 * `reasoning_content` in the delta, kept for the preset's reasoning fields to read) and strict
 * about the shapes the adapter relies on. `usage` is checked by `convertOpenAIUsage` when the
 * stream ends, so that a usage object it cannot read leaves the counts unknown rather than failing
 * the call.
 */
export const openAIChunkSchema = z.looseObject({
  id: text,
  model: text,
  created: z.number().nullish(),
  choices: z
    .array(
      z.looseObject({
        delta: z.looseObject({ content: text, tool_calls: z.array(toolCallDeltaSchema).nullish() }).nullish(),
        finish_reason: text,
      }),
    )
    .nullish(),
  usage: z.unknown().optional(),
});

export type OpenAIChunk = z.infer<typeof openAIChunkSchema>;
export type OpenAIChunkDelta = NonNullable<NonNullable<OpenAIChunk['choices']>[number]['delta']>;
