import { z } from 'zod';
import type { CallOptions, CallWarning, Message, ToolChoice, ToolDefinition } from '../../../shared/llm';
import { normalizeCallParameters } from '../../params';
import { CONTEXT_SIZE_WARNING, GatewayError } from '../gateway-error';

/**
 * `POST /v1/messages` bodies, as Anthropic documents them. Tool results, which Anthropic sends
 * inside a user turn, become the spec's `tool` message placed before the rest of that turn.
 */

const textBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: z.unknown().optional(), citations: z.unknown().optional() });
const imageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string().regex(/^image\/[\w.+-]+$/, 'expected an image media type such as image/png'), data: z.string().min(1) }),
    z.object({ type: z.literal('url'), url: z.url({ protocol: /^https?$/ }) }),
  ]),
  cache_control: z.unknown().optional(),
});
const toolUseBlock = z.object({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string().min(1), input: z.unknown(), cache_control: z.unknown().optional() });
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: z.unknown().optional(),
});
const thinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() });
const redactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: z.string() });

const block = z.discriminatedUnion('type', [textBlock, imageBlock, toolUseBlock, toolResultBlock, thinkingBlock, redactedThinkingBlock]);

const messageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(block).min(1, 'content must hold at least one block')]),
});

const toolSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  type: z.literal('custom').optional(),
  cache_control: z.unknown().optional(),
});

const toolChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
]);

const thinkingSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().positive() }),
  z.object({ type: z.literal('disabled') }),
  z.object({ type: z.literal('adaptive') }),
]);

export const messagesRequestSchema = z.looseObject({
  model: z.string().min(1, 'model is required'),
  max_tokens: z.number({ error: 'max_tokens is required: a whole number of tokens' }).int().positive(),
  messages: z.array(messageSchema).min(1, 'messages must hold at least one message'),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  stream: z.boolean().optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingSchema.optional(),
  metadata: z.object({ user_id: z.string().nullish() }).optional(),
  /** Switchboard extensions: use-case tags for the router's rules, and a preferred provider. */
  tags: z.array(z.string().min(1)).max(16).optional(),
  provider: z.string().min(1).optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

const NOT_PARAMETERS = new Set(['model', 'messages', 'system', 'stream', 'tools', 'tool_choice', 'thinking', 'metadata', 'tags', 'provider']);

export interface MappedMessagesRequest {
  model: string;
  stream: boolean;
  options: CallOptions;
  warnings: CallWarning[];
  tags: string[] | undefined;
  preferredProvider: string | undefined;
}

export function mapMessagesRequest(body: MessagesRequest): MappedMessagesRequest {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!NOT_PARAMETERS.has(key)) raw[key] = value;
  const { settings, load, warnings } = normalizeCallParameters(raw);
  if (load.contextSize !== undefined) warnings.push(CONTEXT_SIZE_WARNING);

  const options: CallOptions = { messages: mapMessages(body.messages), ...settings };
  const system = typeof body.system === 'string' ? body.system : body.system?.map((b) => b.text).join('\n\n');
  if (system !== undefined && system !== '') options.system = system;
  if (body.tools && body.tools.length > 0) options.tools = body.tools.map(mapTool);
  if (body.tool_choice) options.toolChoice = mapToolChoice(body.tool_choice);
  if (body.thinking?.type === 'enabled') options.reasoning = { ...options.reasoning, budgetTokens: body.thinking.budget_tokens };
  if (body.thinking?.type === 'adaptive') options.reasoning = { ...options.reasoning, effort: options.reasoning?.effort ?? 'medium' };
  return {
    model: body.model,
    stream: body.stream === true,
    options,
    warnings,
    tags: body.tags,
    preferredProvider: body.provider,
  };
}

type UserContent = Extract<Message, { role: 'user' }>['content'];
type ToolResults = Extract<Message, { role: 'tool' }>['content'];
type AssistantContent = Extract<Message, { role: 'assistant' }>['content'];

function mapMessages(input: MessagesRequest['messages']): Message[] {
  const out: Message[] = [];
  const toolNames = new Map<string, string>();
  input.forEach((message, index) => {
    const blocks = typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content;
    if (message.role === 'assistant') {
      const content: AssistantContent = [];
      for (const b of blocks) {
        if (b.type === 'text') content.push({ type: 'text', text: b.text });
        else if (b.type === 'thinking') content.push({ type: 'reasoning', text: b.thinking });
        else if (b.type === 'tool_use') {
          toolNames.set(b.id, b.name);
          content.push({ type: 'tool-call', toolCallId: b.id, toolName: b.name, input: b.input ?? {} });
        } else if (b.type !== 'redacted_thinking') throw invalid(`messages[${index}].content`, `an assistant message cannot hold a ${b.type} block`);
      }
      out.push({ role: 'assistant', content });
      return;
    }
    const results: ToolResults = [];
    const content: UserContent = [];
    blocks.forEach((b, i) => {
      const where = `messages[${index}].content[${i}]`;
      if (b.type === 'text') content.push({ type: 'text', text: b.text });
      else if (b.type === 'image') content.push(imagePart(b));
      else if (b.type === 'tool_result') {
        const toolName = toolNames.get(b.tool_use_id);
        if (toolName === undefined) throw invalid(`${where}.tool_use_id`, `tool_use_id "${b.tool_use_id}" answers no tool_use block of an earlier assistant message`);
        const output = b.content === undefined ? '' : typeof b.content === 'string' ? b.content : b.content.map((c) => (c.type === 'text' ? c.text : '[image]')).join('');
        results.push({ type: 'tool-result', toolCallId: b.tool_use_id, toolName, output, ...(b.is_error === true && { isError: true }) });
      } else throw invalid(where, `a user message cannot hold a ${b.type} block`);
    });
    if (results.length > 0) out.push({ role: 'tool', content: results });
    if (content.length > 0) out.push({ role: 'user', content });
  });
  return out;
}

function imagePart(b: z.infer<typeof imageBlock>): UserContent[number] {
  return b.source.type === 'base64'
    ? { type: 'image', mediaType: b.source.media_type, data: b.source.data }
    : { type: 'image', mediaType: guessMediaType(b.source.url), url: b.source.url };
}

function guessMediaType(url: string): string {
  const ext = /\.(png|gif|webp|jpe?g)(?:$|\?)/i.exec(url)?.[1]?.toLowerCase();
  return ext === 'png' ? 'image/png' : ext === 'gif' ? 'image/gif' : ext === 'webp' ? 'image/webp' : 'image/jpeg';
}

function mapTool(tool: z.infer<typeof toolSchema>): ToolDefinition {
  const definition: ToolDefinition = { name: tool.name, inputSchema: tool.input_schema };
  if (tool.description !== undefined) definition.description = tool.description;
  return definition;
}

function mapToolChoice(choice: z.infer<typeof toolChoiceSchema>): ToolChoice {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'tool', toolName: choice.name };
  }
}

function invalid(param: string, message: string): GatewayError {
  return new GatewayError({ code: 'invalid_request', message: `${param}: ${message}`, param });
}
