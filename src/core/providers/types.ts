import type { CallOptions, CallWarning, LanguageModel } from '../../shared/llm';

/**
 * What every provider folder exports: a factory that owns connection settings (credentials,
 * base URL, or the local engine) and hands out models by id.
 */
export interface ProviderFactory {
  readonly provider: string;
  languageModel(modelId: string): LanguageModel;
  /** Providers with embedding models (OpenAI and its presets, Ollama) hand them out here. */
  embeddingModel?(modelId: string): EmbeddingModel;
}

/**
 * Counts the input tokens a call would use, before it is sent: a provider's own endpoint
 * (Anthropic's count_tokens), a tokenizer, or an estimate.
 */
export type CountTokens = (options: CallOptions) => Promise<number>;

/** Options of one embedding call. */
export interface EmbeddingOptions {
  /** Output size, for models that can shorten their vectors (OpenAI's text-embedding-3). */
  dimensions?: number;
  abortSignal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface EmbeddingResult {
  /** One vector per input, in input order. */
  embeddings: number[][];
  /** Unknown stays undefined, never 0. */
  usage: { inputTokens: number | undefined };
  modelId: string;
}

/** A model that turns texts into vectors. */
export interface EmbeddingModel {
  readonly provider: string;
  readonly modelId: string;
  /** How many texts one call may carry; callers split longer lists. */
  readonly maxEmbeddingsPerCall: number | undefined;
  embed(values: string[], options?: EmbeddingOptions): Promise<EmbeddingResult>;
}

export interface ImageGenerateOptions {
  prompt: string;
  /** How many images; default 1. */
  n?: number;
  /** `WIDTHxHEIGHT`, e.g. `1024x1024`. */
  size?: `${number}x${number}`;
  quality?: string;
  abortSignal?: AbortSignal;
  headers?: Record<string, string>;
  /** Vendor-specific options, namespaced by provider. */
  providerOptions?: Record<string, Record<string, unknown>>;
}

export interface ImageGenerateResult {
  /** Images as base64 (no `data:` prefix). */
  images: Array<{ base64: string; mediaType: string; revisedPrompt?: string }>;
  warnings: CallWarning[];
  /** Token counts where the provider reports them; unknown stays undefined. */
  usage: { inputTokens: number | undefined; outputTokens: number | undefined };
  modelId: string;
}

/** A model that draws images from a prompt. */
export interface ImageModel {
  readonly provider: string;
  readonly modelId: string;
  generate(options: ImageGenerateOptions): Promise<ImageGenerateResult>;
}

export interface ModerationResult {
  modelId: string;
  /** One per input, in input order. */
  results: Array<{
    flagged: boolean;
    /** The categories the provider flagged, e.g. `['violence']`. */
    categories: string[];
    /** Every category's score, 0..1. */
    scores: Record<string, number>;
  }>;
}

/** A model that classifies text for harmful content. */
export interface ModerationModel {
  readonly provider: string;
  readonly modelId: string;
  moderate(input: string | string[], options?: { abortSignal?: AbortSignal }): Promise<ModerationResult>;
}
