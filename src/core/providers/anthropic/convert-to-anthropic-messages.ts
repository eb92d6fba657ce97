import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { CallWarning, ImagePart, Message } from '../../../shared/llm';

const BASE64_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
type Base64ImageType = (typeof BASE64_IMAGE_TYPES)[number];
const isBase64ImageType = (t: string): t is Base64ImageType => (BASE64_IMAGE_TYPES as readonly string[]).includes(t);

export interface AnthropicPrompt {
  system?: string | TextBlockParam[];
  messages: MessageParam[];
  warnings: CallWarning[];
}

function convertImage(part: ImagePart, warnings: CallWarning[]): ImageBlockParam | undefined {
  if (part.url !== undefined) return { type: 'image', source: { type: 'url', url: part.url } };
  if (part.data === undefined) return undefined;
  if (!isBase64ImageType(part.mediaType)) {
    warnings.push({ type: 'unsupported', feature: 'image-media-type', details: `${part.mediaType} is left out; Anthropic takes JPEG, PNG, GIF and WebP` });
    return undefined;
  }
  return { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } };
}

function toolResultContent(output: unknown): string {
  if (typeof output === 'string') return output;
  return JSON.stringify(output) ?? 'null';
}

/**
 * Our messages → Anthropic's. The system prompt goes to the top-level `system`; tool results
 * become `tool_result` blocks of a user turn; consecutive turns of one role are merged, since
 * Anthropic wants user and assistant to alternate. Empty text blocks (which Anthropic refuses)
 * are left out, and earlier reasoning, which we keep without its signature, is left out with a warning.
 */
export function convertToAnthropicMessages(messages: Message[], system?: string): AnthropicPrompt {
  const warnings: CallWarning[] = [];
  const out: MessageParam[] = [];
  let droppedReasoning = false;

  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last !== undefined && last.role === role && Array.isArray(last.content)) {
      last.content.push(...blocks);
      return;
    }
    out.push({ role, content: blocks });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'user': {
        const blocks: ContentBlockParam[] = [];
        for (const part of message.content) {
          if (part.type === 'text') {
            if (part.text.length > 0) blocks.push({ type: 'text', text: part.text });
          } else {
            const image = convertImage(part, warnings);
            if (image !== undefined) blocks.push(image);
          }
        }
        push('user', blocks);
        break;
      }
      case 'assistant': {
        const blocks: ContentBlockParam[] = [];
        for (const part of message.content) {
          if (part.type === 'text') {
            if (part.text.length > 0) blocks.push({ type: 'text', text: part.text });
          } else if (part.type === 'reasoning') {
            droppedReasoning = true;
          } else {
            blocks.push({ type: 'tool_use', id: part.toolCallId, name: part.toolName, input: parseToolInput(part.input) });
          }
        }
        push('assistant', blocks);
        break;
      }
      case 'tool': {
        const blocks: ContentBlockParam[] = message.content.map((part) => {
          const block: ContentBlockParam = { type: 'tool_result', tool_use_id: part.toolCallId, content: toolResultContent(part.output) };
          if (part.isError === true) block.is_error = true;
          return block;
        });
        push('user', blocks);
        break;
      }
    }
  }
  if (droppedReasoning) {
    warnings.push({ type: 'unsupported', feature: 'reasoning-input', details: 'earlier reasoning has no signature and is left out of the prompt' });
  }
  const prompt: AnthropicPrompt = { messages: out, warnings };
  if (system !== undefined && system.length > 0) prompt.system = system;
  return prompt;
}

/** A tool call's input as an object: ours may hold the JSON text the model produced. */
function parseToolInput(input: unknown): unknown {
  if (typeof input !== 'string') return input ?? {};
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return { input };
  }
}
