import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { CallWarning, ImagePart, Message } from '../../../shared/llm';

export interface ConvertMessagesOptions {
  /** OpenAI's reasoning models take the system prompt as a `developer` message. */
  systemRole?: 'system' | 'developer';
}

/**
 * The spec's messages → OpenAI chat messages. Images become `image_url` parts (a data URL for
 * base64, the URL as is otherwise); tool calls go on the assistant message with their arguments as
 * JSON text; each tool result becomes a `tool` message. Earlier reasoning cannot be sent back to
 * the chat completions API: it is left out, with a warning.
 */
export function convertToOpenAIMessages(
  messages: readonly Message[],
  system: string | undefined,
  options: ConvertMessagesOptions = {},
): { messages: ChatCompletionMessageParam[]; warnings: CallWarning[] } {
  const out: ChatCompletionMessageParam[] = [];
  const warnings: CallWarning[] = [];
  let droppedReasoning = false;

  if (system !== undefined && system !== '') {
    out.push(options.systemRole === 'developer' ? { role: 'developer', content: system } : { role: 'system', content: system });
  }

  for (const message of messages) {
    switch (message.role) {
      case 'user': {
        const [only] = message.content;
        if (message.content.length === 1 && only?.type === 'text') {
          out.push({ role: 'user', content: only.text });
          break;
        }
        const content: ChatCompletionContentPart[] = message.content.map((part) =>
          part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image_url', image_url: { url: imageUrl(part) } },
        );
        out.push({ role: 'user', content });
        break;
      }
      case 'assistant': {
        let text = '';
        const toolCalls: NonNullable<ChatCompletionAssistantMessageParam['tool_calls']> = [];
        for (const part of message.content) {
          if (part.type === 'text') text += part.text;
          else if (part.type === 'reasoning') droppedReasoning = true;
          else {
            toolCalls.push({
              id: part.toolCallId,
              type: 'function',
              function: { name: part.toolName, arguments: typeof part.input === 'string' ? part.input : JSON.stringify(part.input ?? {}) },
            });
          }
        }
        const assistant: ChatCompletionAssistantMessageParam = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
        if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
        out.push(assistant);
        break;
      }
      case 'tool': {
        for (const part of message.content) {
          const output = typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null);
          out.push({ role: 'tool', tool_call_id: part.toolCallId, content: part.isError ? `Error: ${output}` : output });
        }
        break;
      }
    }
  }

  if (droppedReasoning) {
    warnings.push({ type: 'unsupported', feature: 'reasoning-input', details: 'earlier reasoning is not sent back to chat completions' });
  }
  return { messages: out, warnings };
}

/** A base64 image as a data URL, or the image's own URL. */
export function imageUrl(part: ImagePart): string {
  return part.url ?? `data:${part.mediaType};base64,${part.data ?? ''}`;
}
