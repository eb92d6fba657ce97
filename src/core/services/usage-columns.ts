import { type Usage } from '../../shared/llm';
import { type CallEnd } from '../store';

/** A call's usage as the `calls` row stores it: unknown counts (or no usage at all) are NULL, never 0. */
export function usageColumns(usage: Usage | undefined): Pick<CallEnd, 'inputTokens' | 'outputTokens'> {
  return {
    inputTokens: {
      total: usage?.inputTokens.total ?? null,
      noCache: usage?.inputTokens.noCache ?? null,
      cacheRead: usage?.inputTokens.cacheRead ?? null,
      cacheWrite: usage?.inputTokens.cacheWrite ?? null,
    },
    outputTokens: {
      total: usage?.outputTokens.total ?? null,
      text: usage?.outputTokens.text ?? null,
      reasoning: usage?.outputTokens.reasoning ?? null,
    },
  };
}
