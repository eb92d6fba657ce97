import { ProviderError, withParts, type CallOptions, type LanguageModel, type ModelCapabilities, type PartSource } from '../../../shared/llm';
import { convertToOpenAIRequest } from './convert-to-openai-request';
import { REDIRECTED, requestOpenAIChat, type OpenAIChatEndpoint } from './openai-chat-http';
import { isOpenAIReasoningModel, type OpenAICompat } from './openai-compat';
import { convertOpenAIError, providerLabel } from './openai-error';
import type { OpenAIModelConfig } from './openai-model-config';
import { openAIPartStream } from './openai-part-stream';

export interface OpenAIChatModelConfig extends OpenAIModelConfig {
  compat?: OpenAICompat;
  capabilities?: Partial<ModelCapabilities>;
  /** Where chat completions go without the SDK; absent when the SDK's path must be used. */
  chatEndpoint?: () => Promise<OpenAIChatEndpoint>;
}

/**
 * A chat completions model (OpenAI or a compatible server). With `chatEndpoint` (the usual case)
 * the request goes straight over undici with the SDK's own URL and headers, and its event stream
 * becomes parts as it arrives (`openai-chat-http.ts`), with the SDK's error classes. Otherwise
 * (a custom fetch or client, the SDK's retries) the SDK makes the request and its answer is read
 * here, in one layer (`openAIPartStream`), rather than through the SDK's per-event iteration.
 */
export class OpenAIChatModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities: ModelCapabilities;
  private readonly config: OpenAIChatModelConfig;

  constructor(config: OpenAIChatModelConfig) {
    this.config = config;
    this.provider = config.provider;
    this.modelId = config.modelId;
    const reasoning = (config.compat?.isReasoningModel ?? isOpenAIReasoningModel)(config.modelId);
    this.capabilities = { vision: true, tools: true, reasoning, json: true, ...config.capabilities };
  }

  async stream(options: CallOptions): Promise<PartSource> {
    const { provider, compat } = this.config;
    const errorContext = () => ({ provider, apiKey: this.config.apiKey() });
    const { body, warnings } = convertToOpenAIRequest(options, { modelId: this.modelId, provider, compat });
    const client = this.config.client();

    if (this.config.chatEndpoint !== undefined) {
      try {
        const endpoint = await this.config.chatEndpoint();
        const parts = await requestOpenAIChat({ endpoint, body, headers: options.headers, signal: options.abortSignal, warnings, compat, errorContext });
        // A redirect goes through the SDK's fetch, which follows it.
        if (parts !== REDIRECTED) return withParts({}, parts);
      } catch (error) {
        throw convertOpenAIError(error, errorContext());
      }
    }

    try {
      // `data` is the SDK's Stream, never iterated: it is kept for its controller (abort). Its
      // response body is read by openAIPartStream.
      const { data, response } = await client.chat.completions
        .create(body, { signal: options.abortSignal, ...(options.headers === undefined ? {} : { headers: options.headers }) })
        .withResponse();
      const abortRequest = () => data.controller.abort();
      // A server that names another content type (an HTML login page, a proxy's error, JSON from a
      // server that ignored `stream`) is not an event stream; one that names none is given the benefit.
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType !== '' && !contentType.toLowerCase().startsWith('text/event-stream')) {
        abortRequest();
        throw new ProviderError({
          kind: 'server',
          status: response.status,
          provider,
          message: `${providerLabel(provider)} answered with content type "${contentType}" instead of an event stream (text/event-stream); is the base URL an OpenAI-compatible API?`,
        });
      }
      if (response.body === null) {
        abortRequest();
        throw new ProviderError({ kind: 'server', status: response.status, provider, message: `${providerLabel(provider)} answered with an empty body instead of an event stream.` });
      }
      const stream = openAIPartStream({
        body: response.body,
        headers: response.headers,
        warnings,
        compat,
        signal: options.abortSignal,
        abortRequest,
        errorContext,
      });
      return { stream };
    } catch (error) {
      throw convertOpenAIError(error, errorContext());
    }
  }
}
