import type { ModerationModel, ModerationResult } from '../types';
import { convertOpenAIError } from './openai-error';
import type { OpenAIModelConfig } from './openai-model-config';

/** OpenAI moderation (`POST /moderations`): per input, flagged or not, and which categories. */
export class OpenAIModerationModel implements ModerationModel {
  readonly provider: string;
  readonly modelId: string;
  private readonly config: OpenAIModelConfig;

  constructor(config: OpenAIModelConfig) {
    this.config = config;
    this.provider = config.provider;
    this.modelId = config.modelId;
  }

  async moderate(input: string | string[], options: { abortSignal?: AbortSignal } = {}): Promise<ModerationResult> {
    const client = this.config.client();
    try {
      const response = await client.moderations.create({ model: this.modelId, input }, { signal: options.abortSignal });
      return {
        modelId: typeof response.model === 'string' ? response.model : this.modelId,
        results: response.results.map((result) => {
          const flags = result.categories as unknown as Record<string, boolean | null>;
          const scores = result.category_scores as unknown as Record<string, number>;
          return {
            flagged: result.flagged,
            categories: Object.entries(flags)
              .filter(([, flagged]) => flagged === true)
              .map(([name]) => name),
            scores: { ...scores },
          };
        }),
      };
    } catch (error) {
      throw convertOpenAIError(error, { provider: this.provider, apiKey: this.config.apiKey() });
    }
  }
}
