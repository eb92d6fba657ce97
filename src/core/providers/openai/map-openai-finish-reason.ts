import type { FinishReason } from '../../../shared/llm';

/** OpenAI's `finish_reason` → the spec's; the raw word is kept. */
export function mapOpenAIFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return { unified: 'stop', raw: reason };
    case 'length':
      return { unified: 'length', raw: reason };
    case 'content_filter':
      return { unified: 'content-filter', raw: reason };
    case 'tool_calls':
    case 'function_call':
      return { unified: 'tool-calls', raw: reason };
    case null:
    case undefined:
      return { unified: 'other' };
    default:
      return { unified: 'other', raw: reason };
  }
}
