/**
 * Quirks of OpenAI-compatible servers, set by presets (Azure, OpenRouter, DeepSeek, a generic
 * endpoint) built over this adapter. Everything is optional; the defaults are OpenAI's own.
 */
export interface OpenAICompat {
  /**
   * Delta fields read as reasoning text. Default: `reasoning_content` (DeepSeek, vLLM, most
   * compatible servers) and `reasoning` (OpenRouter).
   */
  reasoningContentField?: string | readonly string[];
  /** Ask for the usage chunk with `stream_options.include_usage`. Default true. */
  includeUsage?: boolean;
  /** `responseFormat: json-schema` → `json_schema`. When false, `json_object` and a warning. Default true. */
  supportsStructuredOutputs?: boolean;
  /**
   * Which models take `max_completion_tokens`, a `developer` system message and `reasoning_effort`,
   * and refuse sampling parameters. Default: OpenAI's o1/o3/o4 and gpt-5 families.
   */
  isReasoningModel?: (modelId: string) => boolean;
  /** Reads provider-specific fields of the usage object (OpenRouter's `cost`); kept in `usage.raw`. */
  readUsageExtras?: (usage: Record<string, unknown>) => Record<string, unknown> | undefined;
  /** `max_tokens` or `max_completion_tokens` for non-reasoning models. Default `max_tokens`. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

const DEFAULT_REASONING_FIELDS = ['reasoning_content', 'reasoning'] as const;

export function reasoningFields(compat: OpenAICompat | undefined): readonly string[] {
  const field = compat?.reasoningContentField;
  if (field === undefined) return DEFAULT_REASONING_FIELDS;
  return typeof field === 'string' ? [field] : field;
}

/** OpenAI's reasoning models (o1, o3, o4-mini, gpt-5 but not gpt-5-chat), with or without a vendor prefix. */
export function isOpenAIReasoningModel(modelId: string): boolean {
  const id = modelId.slice(modelId.lastIndexOf('/') + 1).toLowerCase();
  if (/^o[134](-|$)/.test(id)) return true;
  return id.startsWith('gpt-5') && !id.startsWith('gpt-5-chat');
}
