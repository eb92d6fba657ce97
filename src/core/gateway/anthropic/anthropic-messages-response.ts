import type { FinishReason, GenerateResult, StreamPart, Usage } from '../../../shared/llm';
import { fromProviderData } from '../gateway-error';
import { anthropicErrorBody } from './anthropic-errors';

export interface MessageMeta {
  id: string;
  /** The model name the client asked for. */
  model: string;
}

export function toStopReason(finish: FinishReason): string {
  switch (finish.unified) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return finish.raw === 'stop_sequence' ? 'stop_sequence' : 'end_turn';
  }
}

/** Anthropic's usage. Its counts are required numbers: unknown is written as 0 (the `calls` row keeps it unknown). */
export function toAnthropicUsage(usage: Usage): Record<string, number> {
  const out: Record<string, number> = {
    input_tokens: usage.inputTokens.noCache ?? usage.inputTokens.total ?? 0,
    output_tokens: usage.outputTokens.total ?? 0,
  };
  if (usage.inputTokens.cacheRead !== undefined) out.cache_read_input_tokens = usage.inputTokens.cacheRead;
  if (usage.inputTokens.cacheWrite !== undefined) out.cache_creation_input_tokens = usage.inputTokens.cacheWrite;
  return out;
}

/** A collected result → one `message` object. */
export function toAnthropicMessage(result: GenerateResult, meta: MessageMeta): Record<string, unknown> {
  const content: Array<Record<string, unknown>> = [];
  if (result.reasoning !== '') content.push({ type: 'thinking', thinking: result.reasoning, signature: '' });
  if (result.text !== '') content.push({ type: 'text', text: result.text });
  for (const call of result.toolCalls) content.push({ type: 'tool_use', id: call.toolCallId, name: call.toolName, input: parseInput(call.input) });
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content,
    stop_reason: toStopReason(result.finishReason),
    stop_sequence: null,
    usage: toAnthropicUsage(result.usage),
  };
}

function parseInput(text: string): unknown {
  try {
    return JSON.parse(text === '' ? '{}' : text) as unknown;
  } catch {
    return { input: text };
  }
}

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Stream parts → Anthropic's SSE sequence: `message_start`, then per content block
 * `content_block_start` / `_delta` / `_stop` (text, thinking, tool_use with its input as one
 * `input_json_delta`), `message_delta` with the stop reason and usage, `message_stop`. An error part
 * after the start is an `error` event, which the Anthropic SDK raises as an APIError.
 */
export function createAnthropicEventEncoder(meta: MessageMeta) {
  let index = 0;
  let open: { id: string; kind: 'text' | 'thinking' } | undefined;
  let failed = false;

  const startMessage = () =>
    event('message_start', {
      type: 'message_start',
      message: { id: meta.id, type: 'message', role: 'assistant', model: meta.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } },
    });

  function close(out: string[]) {
    if (open === undefined) return;
    if (open.kind === 'thinking') out.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: '' } }));
    out.push(event('content_block_stop', { type: 'content_block_stop', index }));
    open = undefined;
    index += 1;
  }

  function ensureOpen(out: string[], id: string, kind: 'text' | 'thinking') {
    if (open?.id === id && open.kind === kind) return;
    close(out);
    open = { id, kind };
    const block = kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    out.push(event('content_block_start', { type: 'content_block_start', index, content_block: block }));
  }

  return {
    start: startMessage,
    encode(part: StreamPart): string {
      if (failed) return '';
      const out: string[] = [];
      switch (part.type) {
        case 'text-start':
          ensureOpen(out, part.id, 'text');
          break;
        case 'text-delta':
          ensureOpen(out, part.id, 'text');
          if (part.delta !== '') out.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: part.delta } }));
          break;
        case 'reasoning-start':
          ensureOpen(out, part.id, 'thinking');
          break;
        case 'reasoning-delta':
          ensureOpen(out, part.id, 'thinking');
          if (part.delta !== '') out.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: part.delta } }));
          break;
        case 'text-end':
        case 'reasoning-end':
          if (open?.id === part.id) close(out);
          break;
        case 'tool-call':
          close(out);
          out.push(event('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: part.toolCallId, name: part.toolName, input: {} } }));
          out.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: part.input === '' ? '{}' : part.input } }));
          out.push(event('content_block_stop', { type: 'content_block_stop', index }));
          index += 1;
          break;
        case 'error':
          failed = true;
          out.push(event('error', anthropicErrorBody(fromProviderData(part.error))));
          break;
        case 'finish':
          close(out);
          out.push(event('message_delta', { type: 'message_delta', delta: { stop_reason: toStopReason(part.finishReason), stop_sequence: null }, usage: toAnthropicUsage(part.usage) }));
          out.push(event('message_stop', { type: 'message_stop' }));
          break;
        default:
          break;
      }
      return out.join('');
    },
  };
}
