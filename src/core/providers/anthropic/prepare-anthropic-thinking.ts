import type { ThinkingConfigParam } from '@anthropic-ai/sdk/resources/messages';
import type { CallWarning, ReasoningOptions } from '../../../shared/llm';

/** Anthropic requires `max_tokens`; this is what a call without `maxOutputTokens` gets. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
/** The smallest thinking budget Anthropic accepts. */
export const MIN_THINKING_BUDGET = 1024;
/** An effort without a budget becomes this many thinking tokens. */
export const THINKING_BUDGET_BY_EFFORT = { low: 1024, medium: 4096, high: 16384 } as const;

export type AnthropicThinkingMode = 'budget' | 'adaptive';

/**
 * Which kind of extended thinking a model takes, from its id. Anthropic deprecated
 * `budget_tokens` with the 4.6 models and refuses it (400) from 4.7 and the 5 family on, which
 * take adaptive thinking with an effort instead. Unknown ids (aliases, proxies) get `budget`;
 * `providerOptions.anthropic.thinkingMode` overrides this either way.
 */
export function anthropicThinkingModeFor(modelId: string): AnthropicThinkingMode {
  const match = /claude-(?:[a-z]+-)?(\d+)(?:[-.](\d{1,2}))?(?:$|[-@:])/.exec(modelId);
  if (match === null) return 'budget';
  const major = Number(match[1]);
  const minor = match[2] === undefined ? 0 : Number(match[2]);
  return major > 4 || (major === 4 && minor >= 7) ? 'adaptive' : 'budget';
}

export interface PreparedAnthropicThinking {
  thinking?: ThinkingConfigParam;
  /** `output_config.effort`, sent with adaptive thinking. */
  effort?: 'low' | 'medium' | 'high';
  max_tokens: number;
  warnings: CallWarning[];
}

/**
 * Reasoning options → extended thinking. A budget (given, or from the effort) becomes
 * `thinking: {type: 'enabled', budget_tokens}`; `max_tokens` then covers the budget *plus* the
 * output the caller asked for, so thinking never eats the answer. Models that take only adaptive
 * thinking get `{type: 'adaptive'}` with the effort in `output_config` (`mode: 'adaptive'`).
 */
export function prepareAnthropicThinking(
  reasoning: ReasoningOptions | undefined,
  maxOutputTokens: number | undefined,
  mode: AnthropicThinkingMode = 'budget',
): PreparedAnthropicThinking {
  const warnings: CallWarning[] = [];
  const output = maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  if (reasoning === undefined || (reasoning.budgetTokens === undefined && reasoning.effort === undefined)) {
    return { max_tokens: output, warnings };
  }
  if (mode === 'adaptive') {
    if (reasoning.budgetTokens !== undefined) {
      warnings.push({ type: 'unsupported', feature: 'reasoning.budgetTokens', details: 'adaptive thinking takes an effort, not a budget' });
    }
    const prepared: PreparedAnthropicThinking = { thinking: { type: 'adaptive' }, max_tokens: output, warnings };
    if (reasoning.effort !== undefined) prepared.effort = reasoning.effort;
    return prepared;
  }
  let budget = reasoning.budgetTokens ?? THINKING_BUDGET_BY_EFFORT[reasoning.effort ?? 'medium'];
  if (budget < MIN_THINKING_BUDGET) {
    warnings.push({ type: 'other', message: `thinking budget ${budget} raised to Anthropic's minimum of ${MIN_THINKING_BUDGET}` });
    budget = MIN_THINKING_BUDGET;
  }
  return { thinking: { type: 'enabled', budget_tokens: budget }, max_tokens: output + budget, warnings };
}
