import { ProviderError } from '../../../shared/llm';
import type { Engine, LoadOptions } from '../../engine/engine';
import type { EmbeddingModel, EmbeddingOptions, EmbeddingResult } from '../types';

export interface LocalEmbeddingModelOptions {
  engine: Engine;
  /** The id callers use, e.g. `local/nomic-embed-text-v1.5-q8_0`. */
  modelId: string;
  modelPath: string;
  /** Used when the engine has to load the model for a request. */
  loadOptions?: LoadOptions;
}

const PROVIDER = 'local';

/**
 * Embeddings from a GGUF model on the local engine. Vectors are the model's own length: the engine
 * cannot shorten them, so `dimensions` other than that length is refused. `headers` has no meaning
 * here (there is no HTTP request) and is ignored.
 */
export class LocalEmbeddingModel implements EmbeddingModel {
  readonly provider = PROVIDER;
  readonly modelId: string;
  /** The engine takes any number of texts per call; they are embedded one after another. */
  readonly maxEmbeddingsPerCall = undefined;
  private readonly engine: Engine;
  private readonly modelPath: string;
  private readonly loadOptions: LoadOptions | undefined;

  constructor(options: LocalEmbeddingModelOptions) {
    this.engine = options.engine;
    this.modelId = options.modelId;
    this.modelPath = options.modelPath;
    this.loadOptions = options.loadOptions;
  }

  async embed(values: string[], options: EmbeddingOptions = {}): Promise<EmbeddingResult> {
    if (values.length === 0) return { embeddings: [], usage: { inputTokens: 0 }, modelId: this.modelId };
    let result: Awaited<ReturnType<Engine['embed']>>;
    try {
      result = await this.engine.embed(this.modelPath, values, {
        ...(this.loadOptions === undefined ? {} : { loadOptions: this.loadOptions }),
        ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
      });
    } catch (error) {
      throw ProviderError.from(error, { kind: 'server', provider: PROVIDER });
    }
    const length = result.embeddings[0]?.length;
    if (options.dimensions !== undefined && options.dimensions !== length) {
      throw new ProviderError({
        kind: 'bad_request',
        message: `${this.modelId} makes ${String(length)}-dimensional embeddings; the local engine cannot shorten them to ${options.dimensions}.`,
        provider: PROVIDER,
      });
    }
    return { embeddings: result.embeddings, usage: { inputTokens: result.inputTokens }, modelId: this.modelId };
  }
}
