import { z } from 'zod';
import { ProviderError } from '../../../shared/llm';
import type { EmbeddingModel, EmbeddingOptions, EmbeddingResult } from '../types';
import type { OllamaConnection } from './ollama-chat-model';
import { ollamaRequest } from './ollama-request';

const embedResponseSchema = z.looseObject({
  embeddings: z.array(z.array(z.number())),
  prompt_eval_count: z.number().int().nonnegative().optional(),
});

/** `POST /api/embed`: many texts in one call, one vector each. */
export class OllamaEmbeddingModel implements EmbeddingModel {
  readonly provider = 'ollama';
  readonly maxEmbeddingsPerCall = undefined;

  constructor(
    readonly modelId: string,
    private readonly connection: OllamaConnection,
  ) {}

  async embed(values: string[], options: EmbeddingOptions = {}): Promise<EmbeddingResult> {
    if (values.length === 0) return { embeddings: [], usage: { inputTokens: undefined }, modelId: this.modelId };
    const raw = await ollamaRequest(
      this.connection,
      (client) => client.embed({ model: this.modelId, input: values, ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }) }),
      { signal: options.abortSignal, headers: options.headers },
    );
    const parsed = embedResponseSchema.safeParse(raw);
    if (!parsed.success || parsed.data.embeddings.length !== values.length) {
      throw new ProviderError({ kind: 'server', message: `Ollama at ${this.connection.baseURL} answered /api/embed with an unexpected body.`, provider: 'ollama' });
    }
    return { embeddings: parsed.data.embeddings, usage: { inputTokens: parsed.data.prompt_eval_count }, modelId: this.modelId };
  }
}
