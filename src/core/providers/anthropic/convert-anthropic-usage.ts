import type { Usage } from '../../../shared/llm';

/** The usage fields Anthropic reports, merged from `message_start` and `message_delta`. Any may be missing. */
export interface AnthropicUsageCounts {
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

const known = (n: number | null | undefined): number | undefined => (typeof n === 'number' ? n : undefined);

/**
 * Anthropic counts the uncached part of the prompt as `input_tokens` and reports cache reads and
 * writes beside it, so the whole prompt is their sum. Counts it does not report stay undefined.
 *
 * `sawReasoning`: whether the answer had thinking blocks. Without them and without a thinking
 * count, all output is text; with them and no count, the text share is unknown.
 */
export function convertAnthropicUsage(usage: AnthropicUsageCounts, options: { sawReasoning?: boolean } = {}): Usage {
  const noCache = known(usage.input_tokens);
  const cacheRead = known(usage.cache_read_input_tokens);
  const cacheWrite = known(usage.cache_creation_input_tokens);
  const output = known(usage.output_tokens);
  const reasoning = known(usage.output_tokens_details?.thinking_tokens);
  let text: number | undefined;
  if (output !== undefined && reasoning !== undefined) text = Math.max(0, output - reasoning);
  else if (output !== undefined && options.sawReasoning !== true) text = output;
  return {
    inputTokens: {
      total: noCache === undefined ? undefined : noCache + (cacheRead ?? 0) + (cacheWrite ?? 0),
      noCache,
      cacheRead,
      cacheWrite,
    },
    outputTokens: { total: output, text, reasoning },
    raw: { ...usage },
  };
}
