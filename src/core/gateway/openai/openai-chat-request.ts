import { z } from 'zod';
import type { CallOptions, CallWarning, Message, ResponseFormat, ToolChoice, ToolDefinition } from '../../../shared/llm';
import { normalizeCallParameters } from '../../params';
import { CONTEXT_SIZE_WARNING, GatewayError } from '../gateway-error';
import { parseImageUrl } from '../image-url';

/**
 * `POST /v1/chat/completions` bodies, as OpenAI documents them. Known fields are checked here;
 * sampling parameters (and anything unknown) go through `core/params`, which checks ranges and
 * turns unknown names into `unsupported` warnings rather than silently dropping them.
 */

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });

const userContent = z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, imagePart]))]);
const textContent = z.union([z.string(), z.array(textPart)]);

const toolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: textContent, name: z.string().optional() }),
  z.object({ role: z.literal('developer'), content: textContent, name: z.string().optional() }),
  z.object({ role: z.literal('user'), content: userContent, name: z.string().optional() }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, refusalPart]))]).nullish(),
    tool_calls: z.array(toolCall).optional(),
    name: z.string().optional(),
    refusal: z.string().nullish(),
  }),
  z.object({ role: z.literal('tool'), content: textContent, tool_call_id: z.string().min(1) }),
]);

const toolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
]);

const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

/** Fields handled here; every other key is a call parameter for `core/params`. */
export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1, 'model is required'),
  messages: z.array(messageSchema).min(1, 'messages must hold at least one message'),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(toolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormatSchema.nullish(),
  n: z.literal(1, 'only n = 1 is supported').nullish(),
  user: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  /** Switchboard extensions: use-case tags for the router's rules, and a preferred provider. */
  tags: z.array(z.string().min(1)).max(16).nullish(),
  provider: z.string().min(1).nullish(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

/** Keys that are not call parameters (and must not be reported as unknown ones). */
const NOT_PARAMETERS = new Set([
  'model', 'messages', 'stream', 'stream_options', 'tools', 'tool_choice', 'parallel_tool_calls',
  'response_format', 'n', 'user', 'metadata', 'store', 'tags', 'provider',
]);

export interface MappedChatRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  options: CallOptions;
  warnings: CallWarning[];
  tags: string[] | undefined;
  preferredProvider: string | undefined;
}

/** A validated body → the spec's call options. Throws GatewayError (400) naming the field at fault. */
export function mapChatCompletionRequest(body: ChatCompletionRequest): MappedChatRequest {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!NOT_PARAMETERS.has(key)) raw[key] = value;
  const { settings, load, warnings } = normalizeCallParameters(raw);
  if (load.contextSize !== undefined) warnings.push(CONTEXT_SIZE_WARNING);

  const { system, messages } = mapMessages(body.messages);
  const options: CallOptions = { messages, ...settings };
  if (system !== undefined) options.system = system;
  if (body.tools && body.tools.length > 0) options.tools = body.tools.map(mapTool);
  if (body.tool_choice) options.toolChoice = mapToolChoice(body.tool_choice);
  const responseFormat = body.response_format ? mapResponseFormat(body.response_format) : undefined;
  if (responseFormat !== undefined) options.responseFormat = responseFormat;
  if (body.user) options.providerOptions = { ...options.providerOptions, openai: { ...options.providerOptions?.openai, user: body.user } };
  if (body.parallel_tool_calls === false) warnings.push({ type: 'unsupported', feature: 'parallel_tool_calls', details: 'parallel_tool_calls: false is not passed on' });

  return {
    model: body.model,
    stream: body.stream === true,
    includeUsage: body.stream_options?.include_usage === true,
    options,
    warnings,
    tags: body.tags ?? undefined,
    preferredProvider: body.provider ?? undefined,
  };
}

const textOf = (content: string | Array<{ text: string }>) => (typeof content === 'string' ? content : content.map((p) => p.text).join(''));

function mapMessages(input: ChatCompletionRequest['messages']): { system: string | undefined; messages: Message[] } {
  const systems: string[] = [];
  const messages: Message[] = [];
  const toolNames = new Map<string, string>();
  input.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        // The spec has one system prompt; OpenAI's system and developer messages are joined into it.
        systems.push(textOf(message.content));
        break;
      case 'user':
        messages.push({
          role: 'user',
          content:
            typeof message.content === 'string'
              ? [{ type: 'text', text: message.content }]
              : message.content.map((part, p) =>
                  part.type === 'text' ? { type: 'text' as const, text: part.text } : { type: 'image' as const, ...parseImageUrl(part.image_url.url, `messages[${index}].content[${p}].image_url.url`) },
                ),
        });
        if (messages.at(-1)?.content.length === 0) throw invalid(`messages[${index}].content`, 'a user message needs some content');
        break;
      case 'assistant': {
        const text = message.content == null ? '' : typeof message.content === 'string' ? message.content : message.content.map((p) => (p.type === 'text' ? p.text : p.refusal)).join('');
        const content: Extract<Message, { role: 'assistant' }>['content'] = text === '' ? [] : [{ type: 'text', text }];
        for (const call of message.tool_calls ?? []) {
          toolNames.set(call.id, call.function.name);
          content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.function.name, input: parseArguments(call.function.arguments) });
        }
        messages.push({ role: 'assistant', content });
        break;
      }
      case 'tool': {
        const toolName = toolNames.get(message.tool_call_id);
        if (toolName === undefined) {
          throw invalid(`messages[${index}].tool_call_id`, `tool_call_id "${message.tool_call_id}" answers no tool call of an earlier assistant message`);
        }
        const part = { type: 'tool-result' as const, toolCallId: message.tool_call_id, toolName, output: textOf(message.content) };
        // Consecutive tool messages answer one assistant turn: keep them in one spec message.
        const last = messages.at(-1);
        if (last?.role === 'tool') last.content.push(part);
        else messages.push({ role: 'tool', content: [part] });
        break;
      }
    }
  });
  if (messages.length === 0) throw invalid('messages', 'messages must hold at least one user, assistant or tool message besides the system prompt');
  return { system: systems.length > 0 ? systems.join('\n\n') : undefined, messages };
}

/** Tool arguments as the model wrote them: JSON when it parses, the text otherwise. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function mapTool(tool: z.infer<typeof toolSchema>): ToolDefinition {
  const definition: ToolDefinition = { name: tool.function.name, inputSchema: tool.function.parameters ?? { type: 'object', properties: {} } };
  if (tool.function.description !== undefined) definition.description = tool.function.description;
  return definition;
}

function mapToolChoice(choice: z.infer<typeof toolChoiceSchema>): ToolChoice {
  return typeof choice === 'string' ? choice : { type: 'tool', toolName: choice.function.name };
}

function mapResponseFormat(format: z.infer<typeof responseFormatSchema>): ResponseFormat | undefined {
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json' };
    case 'json_schema':
      return { type: 'json-schema', schema: format.json_schema.schema ?? {}, name: format.json_schema.name };
  }
}

function invalid(param: string, message: string): GatewayError {
  return new GatewayError({ code: 'invalid_request', message: `${param}: ${message}`, param });
}
