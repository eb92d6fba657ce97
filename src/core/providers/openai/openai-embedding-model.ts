import type { EmbeddingModel, EmbeddingOptions, EmbeddingResult } from '../types';
import { convertOpenAIError } from './openai-error';
import type { OpenAIModelConfig } from './openai-model-config';

/** OpenAI embeddings (`POST /embeddings`) through the SDK. */
export class OpenAIEmbeddingModel implements EmbeddingModel {
  readonly provider: string;
  readonly modelId: string;
  readonly maxEmbeddingsPerCall = 2048;
  private readonly config: OpenAIModelConfig;

  constructor(config: OpenAIModelConfig) {
    this.config = config;
    this.provider = config.provider;
    this.modelId = config.modelId;
  }

  async embed(values: string[], options: EmbeddingOptions = {}): Promise<EmbeddingResult> {
    if (values.length === 0) return { embeddings: [], usage: { inputTokens: 0 }, modelId: this.modelId };
    const client = this.config.client();
    try {
      const response = await client.embeddings.create(
        { model: this.modelId, input: values, ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }) },
        { signal: options.abortSignal, ...(options.headers === undefined ? {} : { headers: options.headers }) },
      );
      // The API may answer out of order; `index` says where each vector goes.
      const embeddings: number[][] = new Array<number[]>(values.length);
      response.data.forEach((item, i) => {
        embeddings[typeof item.index === 'number' ? item.index : i] = Array.from(item.embedding);
      });
      return {
        embeddings,
        usage: { inputTokens: response.usage?.prompt_tokens ?? undefined },
        modelId: typeof response.model === 'string' ? response.model : this.modelId,
      };
    } catch (error) {
      throw convertOpenAIError(error, { provider: this.provider, apiKey: this.config.apiKey() });
    }
  }
}
