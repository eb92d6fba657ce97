import type { FinishReason } from '../../../shared/llm';

/**
 * Anthropic's `stop_reason` in the spec's terms; the raw word is kept for display.
 * `pause_turn` (a server tool paused a long turn) has no unified meaning, so it is `other`.
 */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return { unified: 'stop', raw: reason };
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return { unified: 'length', raw: reason };
    case 'tool_use':
      return { unified: 'tool-calls', raw: reason };
    case 'refusal':
      return { unified: 'content-filter', raw: reason };
    case null:
    case undefined:
      return { unified: 'other' };
    default:
      return { unified: 'other', raw: reason };
  }
}
