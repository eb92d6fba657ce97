/**
 * The catalog's public shapes. Prices are USD per million tokens; an absent field means unknown,
 * never free (local models say so with `local: true`).
 */

/** Call parameters the catalog can say a model accepts, in the spec's names (CallSettings). */
export const CALL_PARAMETERS = [
  'temperature',
  'topP',
  'topK',
  'maxOutputTokens',
  'stop',
  'seed',
  'frequencyPenalty',
  'presencePenalty',
  'tools',
  'toolChoice',
  'responseFormat',
  'reasoning',
] as const;
export type CallParameter = (typeof CALL_PARAMETERS)[number];

export type RangedParameter = 'temperature' | 'topP' | 'topK' | 'frequencyPenalty' | 'presencePenalty';
export interface NumericRange {
  min: number;
  max: number;
}

/** USD per 1M tokens, by kind. */
export interface TokenPrices {
  input?: number;
  output?: number;
  /** Cached input read (prompt-cache hit). */
  cacheRead?: number;
  /** Cache write (Anthropic's 5-minute prompt-cache write). */
  cacheWrite?: number;
  /** Reasoning output, only where a provider prices it apart from output. */
  reasoning?: number;
}

/** Long-context pricing: above `aboveInputTokens` input tokens, the whole call is billed at `prices`. */
export interface PriceTier {
  aboveInputTokens: number;
  prices: TokenPrices;
}

export interface ModelPrices extends TokenPrices {
  tiers?: PriceTier[];
}

export interface CatalogCapabilities {
  vision?: boolean;
  tools?: boolean;
  reasoning?: boolean;
  /** JSON mode (`response_format: json_object`). */
  json?: boolean;
  /** Structured output against a JSON schema. */
  jsonSchema?: boolean;
}

/** How an adapter must reshape a call for this model on the wire. */
export interface ModelTransforms {
  /** The request field that carries maxOutputTokens: reasoning models take `max_completion_tokens`. */
  maxOutputTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** Sends the system prompt as a `developer` message (OpenAI reasoning models). */
  systemMessageRole?: 'system' | 'developer';
}

export type CatalogSource = 'package' | 'overrides' | 'openrouter';

export interface CatalogEntry {
  /** The provider type this entry answers for: openai, anthropic, openrouter, deepseek, azure, ollama, local, mock… */
  provider: string;
  /** Canonical model id (dated snapshots and aliases resolved): `gpt-4o`, `claude-sonnet-4-5`, `anthropic/claude-sonnet-4.5`. */
  modelId: string;
  /** The id that was asked for, when it differs from modelId. */
  requestedId?: string;
  displayName?: string;
  /** Total context window (input + output) in tokens. */
  contextWindow?: number;
  maxOutputTokens?: number;
  /** Undefined when no price is known. */
  prices?: ModelPrices;
  /** Runs on this machine (the built-in engine, Ollama, the mock): costs nothing. */
  local: boolean;
  capabilities: CatalogCapabilities;
  /** Parameters the model accepts. Undefined means unknown: nothing is flagged as unsupported. */
  supportedParameters?: readonly CallParameter[];
  transforms: ModelTransforms;
  /** Narrower ranges than the spec's defaults (Anthropic: temperature 0 to 1). */
  parameterRanges?: Partial<Record<RangedParameter, NumericRange>>;
  deprecated?: boolean;
  /** Where the entry's fields came from, lowest precedence first. */
  sources: CatalogSource[];
}

export interface Catalog {
  lookupModel(provider: string, modelId: string): CatalogEntry | undefined;
  /** Models the catalog knows, for one provider or all. Entries from patterns are not listed. */
  list(provider?: string): CatalogEntry[];
}

export interface CostBreakdown {
  /** Where the figure came from: the provider's own report, our prices, or a local model. */
  source: 'provider' | 'catalog' | 'local';
  inputUsd?: number;
  cacheReadUsd?: number;
  cacheWriteUsd?: number;
  outputUsd?: number;
  reasoningUsd?: number;
  /** The long-context tier applied, when one was. */
  tierAboveInputTokens?: number;
  /** Why costUsd is undefined. */
  missing?: string;
}

export interface CostResult {
  costUsd: number | undefined;
  breakdown: CostBreakdown;
}
