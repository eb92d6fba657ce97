import type { Usage } from '../../../shared/llm';

/** The counts and timings on Ollama's final (`done: true`) chunk. All optional: Ollama leaves some out. */
export interface OllamaDoneCounts {
  prompt_eval_count?: number;
  eval_count?: number;
  total_duration?: number;
  load_duration?: number;
  prompt_eval_duration?: number;
  eval_duration?: number;
}

/**
 * Ollama reports the prompt (`prompt_eval_count`) and the output (`eval_count`, thinking included).
 * It says nothing of cache reads or writes, nor how much of the output was thinking: those stay
 * undefined. Output text equals the output total only when no thinking was streamed.
 */
export function convertOllamaUsage(counts: OllamaDoneCounts, options: { sawReasoning: boolean }): Usage {
  const output = counts.eval_count;
  const raw: Record<string, number> = {};
  for (const [key, value] of Object.entries(counts)) if (typeof value === 'number') raw[key] = value;
  return {
    inputTokens: { total: counts.prompt_eval_count, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: output, text: options.sawReasoning ? undefined : output, reasoning: undefined },
    raw,
  };
}
