import type { Message as OllamaMessage, ToolCall as OllamaToolCall } from 'ollama';
import type { CallWarning, Message } from '../../../shared/llm';

/**
 * The spec's messages (plus the system prompt) → Ollama's chat messages.
 * - Text parts are joined into `content`; base64 images go to `images` (Ollama takes base64 only,
 *   so an image given by URL is left out, with a warning).
 * - An assistant's reasoning goes back as `thinking`, its tool calls as `tool_calls` with object
 *   arguments (Ollama has no call ids).
 * - Each tool result becomes a `tool` message with `tool_name`; non-string output is sent as JSON.
 */
export function convertToOllamaMessages(messages: Message[], system: string | undefined): { messages: OllamaMessage[]; warnings: CallWarning[] } {
  const out: OllamaMessage[] = [];
  const warnings: CallWarning[] = [];
  if (system !== undefined && system.length > 0) out.push({ role: 'system', content: system });

  for (const message of messages) {
    switch (message.role) {
      case 'user': {
        let content = '';
        const images: string[] = [];
        for (const part of message.content) {
          if (part.type === 'text') content += part.text;
          else if (part.data !== undefined) images.push(part.data);
          else warnings.push({ type: 'unsupported', feature: 'image-url', details: 'Ollama takes images as base64 only; an image given by URL was left out' });
        }
        out.push(images.length > 0 ? { role: 'user', content, images } : { role: 'user', content });
        break;
      }
      case 'assistant': {
        let content = '';
        let thinking = '';
        const toolCalls: OllamaToolCall[] = [];
        for (const part of message.content) {
          if (part.type === 'text') content += part.text;
          else if (part.type === 'reasoning') thinking += part.text;
          else toolCalls.push({ function: { name: part.toolName, arguments: toArguments(part.input) } });
        }
        const converted: OllamaMessage = { role: 'assistant', content };
        if (thinking.length > 0) converted.thinking = thinking;
        if (toolCalls.length > 0) converted.tool_calls = toolCalls;
        out.push(converted);
        break;
      }
      case 'tool':
        for (const part of message.content) {
          out.push({ role: 'tool', content: typeof part.output === 'string' ? part.output : JSON.stringify(part.output) ?? '', tool_name: part.toolName });
        }
        break;
    }
  }
  return { messages: out, warnings };
}

/** Tool-call input as the object Ollama wants: parsed when it is JSON text, wrapped when it is not an object. */
function toArguments(input: unknown): Record<string, unknown> {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { input: value };
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return value === undefined ? {} : { input: value };
}
