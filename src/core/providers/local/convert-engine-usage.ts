import type { Usage } from '../../../shared/llm';

/**
 * The engine counts the whole prompt and how much of it was reused from the sequence's cache.
 * It knows nothing of cache writes or reasoning, so those stay undefined rather than 0.
 */
export function convertEngineUsage(counts: {
  inputTokens: number;
  cachedInputTokens?: number;
  outputTokens: number;
  generationMs?: number;
}): Usage {
  const cached = counts.cachedInputTokens;
  return {
    inputTokens: {
      total: counts.inputTokens,
      noCache: cached === undefined ? undefined : counts.inputTokens - cached,
      cacheRead: cached,
      cacheWrite: undefined,
    },
    outputTokens: { total: counts.outputTokens, text: counts.outputTokens, reasoning: undefined },
    // raw keeps the engine's own numbers, including how long generation took inside the worker.
    raw: { ...counts },
  };
}
