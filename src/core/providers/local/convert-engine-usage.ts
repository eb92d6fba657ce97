import type { Usage } from '../../../shared/llm';

/**
 * The engine counts tokens it evaluated and generated. It knows nothing of caches or reasoning,
 * so those stay undefined rather than 0.
 */
export function convertEngineUsage(counts: { inputTokens: number; outputTokens: number; generationMs?: number }): Usage {
  return {
    inputTokens: { total: counts.inputTokens, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: counts.outputTokens, text: counts.outputTokens, reasoning: undefined },
    // raw keeps the engine's own numbers, including how long generation took inside the worker.
    raw: { inputTokens: counts.inputTokens, outputTokens: counts.outputTokens, generationMs: counts.generationMs },
  };
}
