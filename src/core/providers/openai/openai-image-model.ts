import type { ImageGenerateParams } from 'openai/resources/images';
import type { CallWarning } from '../../../shared/llm';
import type { ImageGenerateOptions, ImageGenerateResult, ImageModel } from '../types';
import { convertOpenAIError, providerLabel } from './openai-error';
import type { OpenAIModelConfig } from './openai-model-config';
import { ProviderError } from '../../../shared/llm';

/** OpenAI image generation (`POST /images/generations`), answered as base64. */
export class OpenAIImageModel implements ImageModel {
  readonly provider: string;
  readonly modelId: string;
  private readonly config: OpenAIModelConfig;

  constructor(config: OpenAIModelConfig) {
    this.config = config;
    this.provider = config.provider;
    this.modelId = config.modelId;
  }

  async generate(options: ImageGenerateOptions): Promise<ImageGenerateResult> {
    const warnings: CallWarning[] = [];
    const extras = { ...options.providerOptions?.openai, ...(this.provider === 'openai' ? {} : options.providerOptions?.[this.provider]) };
    // gpt-image models always answer base64 and refuse `response_format`; DALL·E needs to be asked.
    const alwaysBase64 = this.modelId.startsWith('gpt-image');
    const params: ImageGenerateParams = { model: this.modelId, prompt: options.prompt, ...extras };
    if (options.n !== undefined) params.n = options.n;
    if (options.size !== undefined) params.size = options.size as ImageGenerateParams['size'];
    if (options.quality !== undefined) params.quality = options.quality as ImageGenerateParams['quality'];
    if (!alwaysBase64) params.response_format = 'b64_json';
    const client = this.config.client();
    let response;
    try {
      response = await client.images.generate(
        { ...params, stream: false },
        { signal: options.abortSignal, ...(options.headers === undefined ? {} : { headers: options.headers }) },
      );
    } catch (error) {
      throw convertOpenAIError(error, { provider: this.provider, apiKey: this.config.apiKey() });
    }
    const format = typeof params.output_format === 'string' ? params.output_format : 'png';
    const mediaType = `image/${format === 'jpeg' ? 'jpeg' : format}`;
    const images: ImageGenerateResult['images'] = [];
    for (const item of response.data ?? []) {
      if (typeof item.b64_json !== 'string') {
        throw new ProviderError({ kind: 'server', provider: this.provider, message: `${providerLabel(this.provider)} answered an image without base64 data.` });
      }
      images.push({ base64: item.b64_json, mediaType, ...(typeof item.revised_prompt === 'string' ? { revisedPrompt: item.revised_prompt } : {}) });
    }
    return {
      images,
      warnings,
      usage: { inputTokens: response.usage?.input_tokens ?? undefined, outputTokens: response.usage?.output_tokens ?? undefined },
      modelId: this.modelId,
    };
  }
}
