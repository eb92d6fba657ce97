import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { CallOptions, CallWarning } from '../../../shared/llm';
import { convertToOpenAIMessages } from './convert-to-openai-messages';
import { isOpenAIReasoningModel, type OpenAICompat } from './openai-compat';
import { prepareOpenAITools } from './prepare-openai-tools';

export interface OpenAIRequestContext {
  modelId: string;
  /** Provider name: `providerOptions[provider]` is passed through (as is `providerOptions.openai`). */
  provider: string;
  compat?: OpenAICompat;
}

/**
 * Call options → the body of a streaming chat completions request, plus a warning for every
 * option that could not be honoured (never a silent drop).
 */
export function convertToOpenAIRequest(
  options: CallOptions,
  context: OpenAIRequestContext,
): { body: ChatCompletionCreateParamsStreaming; warnings: CallWarning[] } {
  const { compat } = context;
  const reasoningModel = (compat?.isReasoningModel ?? isOpenAIReasoningModel)(context.modelId);
  const warnings: CallWarning[] = [];
  const unsupported = (feature: string, details: string) => warnings.push({ type: 'unsupported', feature, details });

  const converted = convertToOpenAIMessages(options.messages, options.system, {
    systemRole: reasoningModel && context.provider === 'openai' ? 'developer' : 'system',
  });
  warnings.push(...converted.warnings);

  const body: ChatCompletionCreateParamsStreaming = { model: context.modelId, messages: converted.messages, stream: true };
  if (compat?.includeUsage !== false) body.stream_options = { include_usage: true };

  if (options.maxOutputTokens !== undefined) {
    if (reasoningModel || compat?.maxTokensField === 'max_completion_tokens') body.max_completion_tokens = options.maxOutputTokens;
    else body.max_tokens = options.maxOutputTokens;
  }
  const sampling: Array<[keyof CallOptions, 'temperature' | 'top_p']> = [
    ['temperature', 'temperature'],
    ['topP', 'top_p'],
  ];
  for (const [ours, theirs] of sampling) {
    const value = options[ours];
    if (typeof value !== 'number') continue;
    if (reasoningModel) unsupported(ours, `${context.modelId} is a reasoning model and does not take ${theirs}; it was left out`);
    else body[theirs] = value;
  }
  if (options.topK !== undefined) unsupported('topK', 'OpenAI has no top-k sampling; it was left out');
  if (options.seed !== undefined) body.seed = options.seed;
  if (options.stop !== undefined && options.stop.length > 0) body.stop = options.stop.slice(0, 4);
  if (options.stop !== undefined && options.stop.length > 4) unsupported('stop', 'OpenAI takes at most 4 stop sequences; the rest were left out');

  if (options.reasoning !== undefined) {
    if (!reasoningModel) {
      unsupported('reasoning', `${context.modelId} is not a reasoning model; reasoning options were left out`);
    } else {
      if (options.reasoning.effort !== undefined) body.reasoning_effort = options.reasoning.effort;
      if (options.reasoning.budgetTokens !== undefined) {
        unsupported('reasoning.budgetTokens', 'OpenAI takes a reasoning effort, not a token budget; the budget was left out');
      }
    }
  }

  const format = options.responseFormat;
  if (format?.type === 'json') body.response_format = { type: 'json_object' };
  if (format?.type === 'json-schema') {
    if (compat?.supportsStructuredOutputs === false) {
      body.response_format = { type: 'json_object' };
      unsupported('responseFormat.schema', 'this endpoint has no structured outputs; JSON mode is used and the schema is not enforced');
    } else {
      body.response_format = { type: 'json_schema', json_schema: { name: format.name ?? 'response', schema: format.schema, strict: false } };
    }
  }

  const tools = prepareOpenAITools(options.tools, options.toolChoice);
  warnings.push(...tools.warnings);
  if (tools.tools !== undefined) body.tools = tools.tools;
  if (tools.toolChoice !== undefined) body.tool_choice = tools.toolChoice;

  // Vendor extras (`user`, `logit_bias`, `service_tier`, …) go in as given.
  const extras = { ...options.providerOptions?.openai, ...(context.provider === 'openai' ? {} : options.providerOptions?.[context.provider]) };
  return { body: { ...body, ...extras, model: body.model, stream: true }, warnings };
}
