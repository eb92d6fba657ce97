import type { GenerateResult, ProviderErrorData, StreamPart, UnifiedFinishReason, Usage } from '../../../shared/llm';
import { fromProviderData } from '../gateway-error';
import { openAIErrorBody } from './openai-errors';

/** What every chunk and completion carries. */
export interface CompletionMeta {
  id: string;
  /** The model name the client asked for (a group or alias stays that name). */
  model: string;
  /** Unix seconds. */
  created: number;
}

const FINISH: Record<UnifiedFinishReason, string> = {
  stop: 'stop',
  length: 'length',
  'content-filter': 'content_filter',
  'tool-calls': 'tool_calls',
  error: 'stop',
  aborted: 'stop',
  other: 'stop',
};

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

/**
 * OpenAI's usage object. Its counts are required numbers, so an unknown count is written as 0 here
 * (the `calls` row keeps it unknown); details appear only when known.
 */
export function toOpenAIUsage(usage: Usage): OpenAIUsage {
  const prompt = usage.inputTokens.total ?? 0;
  const completion = usage.outputTokens.total ?? 0;
  const out: OpenAIUsage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (usage.inputTokens.cacheRead !== undefined) out.prompt_tokens_details = { cached_tokens: usage.inputTokens.cacheRead };
  if (usage.outputTokens.reasoning !== undefined) out.completion_tokens_details = { reasoning_tokens: usage.outputTokens.reasoning };
  return out;
}

/** A collected result → one `chat.completion` object. */
export function toChatCompletion(result: GenerateResult, meta: CompletionMeta): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: result.text === '' && result.toolCalls.length > 0 ? null : result.text, refusal: null };
  // DeepSeek's field for reasoning, which most OpenAI-compatible clients read.
  if (result.reasoning !== '') message.reasoning_content = result.reasoning;
  if (result.toolCalls.length > 0) {
    message.tool_calls = result.toolCalls.map((c) => ({ id: c.toolCallId, type: 'function', function: { name: c.toolName, arguments: c.input } }));
  }
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, finish_reason: FINISH[result.finishReason.unified], logprobs: null }],
    usage: toOpenAIUsage(result.usage),
  };
}

const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;

/**
 * Stream parts → OpenAI's SSE events (`chat.completion.chunk`): a first chunk with the role, content
 * and reasoning deltas, tool calls (whole, one `index` each), a chunk with `finish_reason`, the usage
 * chunk (`choices: []`) when `stream_options.include_usage` asked for it, then `[DONE]`. An error part
 * after the stream started is an `error` event, which the openai SDK raises as an APIError.
 */
export function createOpenAIChunkEncoder(meta: CompletionMeta, includeUsage: boolean) {
  let started = false;
  let toolIndex = 0;
  let failed = false;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    sse({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] });

  function start(out: string[]) {
    if (started) return;
    started = true;
    out.push(chunk({ role: 'assistant', content: '' }));
  }

  return {
    /** The SSE text for one part (often empty). */
    encode(part: StreamPart): string {
      if (failed) return '';
      const out: string[] = [];
      switch (part.type) {
        case 'text-delta':
          start(out);
          if (part.delta !== '') out.push(chunk({ content: part.delta }));
          break;
        case 'reasoning-delta':
          start(out);
          if (part.delta !== '') out.push(chunk({ reasoning_content: part.delta }));
          break;
        case 'tool-call':
          start(out);
          out.push(chunk({ tool_calls: [{ index: toolIndex++, id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: part.input } }] }));
          break;
        case 'error':
          failed = true;
          out.push(errorEvent(part.error));
          break;
        case 'finish':
          start(out);
          out.push(chunk({}, FINISH[part.finishReason.unified]));
          if (includeUsage) {
            out.push(sse({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage: toOpenAIUsage(part.usage) }));
          }
          out.push('data: [DONE]\n\n');
          break;
        default:
          break;
      }
      return out.join('');
    },
  };
}

function errorEvent(error: ProviderErrorData): string {
  return sse(openAIErrorBody(fromProviderData(error)));
}
