import OpenAI, { type ClientOptions } from 'openai';
import { ProviderError, type ModelCapabilities } from '../../../shared/llm';
import { keepAliveFetch, sharedDispatcher } from '../http/keep-alive-fetch';
import type { ProviderFactory } from '../types';
import type { OpenAIChatEndpoint } from './openai-chat-http';
import { OpenAIChatModel } from './openai-chat-model';
import type { OpenAICompat } from './openai-compat';
import { OpenAIEmbeddingModel } from './openai-embedding-model';
import { convertOpenAIError, providerLabel } from './openai-error';
import { OpenAIImageModel } from './openai-image-model';
import { OpenAIModerationModel } from './openai-moderation-model';
import type { ModerationResult } from '../types';

export interface OpenAIProviderSettings {
  /** The key. When absent, `apiKeyEnvVar` is read at call time. An empty string counts as absent. */
  apiKey?: string;
  /** Default `https://api.openai.com/v1`. */
  baseURL?: string;
  /** Sent with every request (presets put their attribution or auth headers here). */
  headers?: Record<string, string>;
  /** Query parameters on every request (Azure's `api-version`). */
  query?: Record<string, string>;
  /** Time to wait for the response headers, per request. */
  timeoutMs?: number;
  /** The SDK's own retries. Default 0: the router retries, with its own policy per error kind. */
  maxRetries?: number;
  organization?: string;
  project?: string;
  /** The provider name models and errors report. Default `openai`. */
  provider?: string;
  fetch?: ClientOptions['fetch'];
  /** Extra `fetch` options (an undici dispatcher that skips TLS verification for a self-signed server). */
  fetchOptions?: ClientOptions['fetchOptions'];
  compat?: OpenAICompat;
  /** Environment variable read when `apiKey` is absent. Default `OPENAI_API_KEY` for `openai`, none otherwise. */
  apiKeyEnvVar?: string | null;
  /** The config setting named in the missing-key error. Default `providers.<provider>.apiKey`. */
  apiKeySetting?: string;
  /** Servers that need no key (a local vLLM or LM Studio) set this false; a placeholder is sent. Default true. */
  requireApiKey?: boolean;
  /** Replaces `new OpenAI(options)`, e.g. with `new AzureOpenAI(...)`. */
  createClient?: (options: ClientOptions) => OpenAI;
  /** Capabilities to report per model, when the preset knows better than the defaults. */
  capabilities?: (modelId: string) => Partial<ModelCapabilities> | undefined;
}

export interface OpenAIModelInfo {
  id: string;
  ownedBy?: string;
  created?: number;
  /** The server's whole model object, for presets that read more (OpenRouter's prices and context). */
  raw: Record<string, unknown>;
}

export interface OpenAIProvider extends ProviderFactory {
  languageModel(modelId: string): OpenAIChatModel;
  /** Same as `languageModel`. */
  chat(modelId: string): OpenAIChatModel;
  embeddingModel(modelId: string): OpenAIEmbeddingModel;
  imageModel(modelId: string): OpenAIImageModel;
  moderationModel(modelId?: string): OpenAIModerationModel;
  /** Moderation with the default model (`omni-moderation-latest`). */
  moderate(input: string | string[], options?: { abortSignal?: AbortSignal }): Promise<ModerationResult>;
  /** `GET /models`. */
  listModels(options?: { abortSignal?: AbortSignal }): Promise<OpenAIModelInfo[]>;
  /** The SDK client (throws an `auth` ProviderError when no key is configured). */
  client(): OpenAI;
}

/**
 * The OpenAI provider: owns the key, base URL, headers and timeouts, and hands out chat,
 * embedding, image and moderation models that share one SDK client. A missing key is not an error
 * until a call is made, and then it is an `auth` error naming the setting to fill.
 */
export function createOpenAI(settings: OpenAIProviderSettings = {}): OpenAIProvider {
  const provider = settings.provider ?? 'openai';
  const envVar = settings.apiKeyEnvVar === undefined ? (provider === 'openai' ? 'OPENAI_API_KEY' : null) : settings.apiKeyEnvVar;
  let cached: { key: string; client: OpenAI } | undefined;

  const apiKey = (): string | undefined => {
    if (settings.apiKey !== undefined && settings.apiKey !== '') return settings.apiKey;
    const fromEnv = envVar === null ? undefined : process.env[envVar];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };

  const client = (): OpenAI => {
    let key = apiKey();
    if (key === undefined) {
      if (settings.requireApiKey !== false) {
        const setting = settings.apiKeySetting ?? `providers.${provider}.apiKey`;
        throw new ProviderError({
          kind: 'auth',
          provider,
          retryable: false,
          message: `${providerLabel(provider)} API key missing: set ${setting}${envVar === null ? '' : ` or ${envVar}`}.`,
        });
      }
      key = 'not-needed';
    }
    if (cached?.key === key) return cached.client;
    const options: ClientOptions = {
      apiKey: key,
      baseURL: settings.baseURL ?? 'https://api.openai.com/v1',
      maxRetries: settings.maxRetries ?? 0,
      // Errors are reported as ProviderErrors; the SDK's own console logging stays off.
      logLevel: 'off',
    };
    if (settings.timeoutMs !== undefined) options.timeout = settings.timeoutMs;
    if (settings.headers !== undefined) options.defaultHeaders = settings.headers;
    if (settings.query !== undefined) options.defaultQuery = settings.query;
    if (settings.organization !== undefined) options.organization = settings.organization;
    if (settings.project !== undefined) options.project = settings.project;
    // Keep-alive undici dispatch instead of the global fetch: about half the CPU per SDK call.
    options.fetch = settings.fetch ?? keepAliveFetch();
    if (settings.fetchOptions !== undefined) options.fetchOptions = settings.fetchOptions;
    const created = settings.createClient ? settings.createClient(options) : new OpenAI(options);
    cached = { key, client: created };
    return created;
  };

  // Chat completions go over undici directly (openai-chat-http.ts) unless something only the SDK's
  // fetch path honours is configured: a custom fetch or client, fetch options, or the SDK's retries.
  const direct = settings.fetch === undefined && settings.createClient === undefined && settings.fetchOptions === undefined && (settings.maxRetries ?? 0) === 0;
  let endpoint: { client: OpenAI; promise: Promise<OpenAIChatEndpoint> } | undefined;
  const chatEndpoint = (): Promise<OpenAIChatEndpoint> => {
    const sdk = client();
    if (endpoint?.client !== sdk) endpoint = { client: sdk, promise: chatEndpointOf(sdk) };
    return endpoint.promise;
  };

  const shared = { provider, client, apiKey };
  const languageModel = (modelId: string) =>
    new OpenAIChatModel({
      ...shared,
      modelId,
      ...(direct ? { chatEndpoint } : {}),
      ...(settings.compat === undefined ? {} : { compat: settings.compat }),
      ...(settings.capabilities?.(modelId) === undefined ? {} : { capabilities: settings.capabilities(modelId) }),
    });
  const moderationModel = (modelId = 'omni-moderation-latest') => new OpenAIModerationModel({ ...shared, modelId });

  return {
    provider,
    languageModel,
    chat: languageModel,
    embeddingModel: (modelId) => new OpenAIEmbeddingModel({ ...shared, modelId }),
    imageModel: (modelId) => new OpenAIImageModel({ ...shared, modelId }),
    moderationModel,
    moderate: (input, options) => moderationModel().moderate(input, options),
    async listModels(options) {
      const sdk = client();
      try {
        const out: OpenAIModelInfo[] = [];
        for await (const model of sdk.models.list({ signal: options?.abortSignal })) {
          const raw = model as unknown as Record<string, unknown>;
          out.push({
            id: model.id,
            ...(typeof model.owned_by === 'string' ? { ownedBy: model.owned_by } : {}),
            ...(typeof model.created === 'number' ? { created: model.created } : {}),
            raw,
          });
        }
        return out;
      } catch (error) {
        throw convertOpenAIError(error, { provider, apiKey: apiKey() });
      }
    },
    client,
  };
}

/**
 * The URL, headers and timeout the SDK would use for `POST /chat/completions`, taken once from the
 * SDK itself (`buildRequest`), so the direct path sends exactly what it sends.
 */
async function chatEndpointOf(sdk: OpenAI): Promise<OpenAIChatEndpoint> {
  const { req, url, timeout } = await sdk.buildRequest({ method: 'post', path: '/chat/completions', body: {} });
  const headers: Record<string, string> = {};
  for (const [name, value] of new Headers(req.headers)) headers[name] = value;
  delete headers['content-length'];
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}`, headers, timeoutMs: timeout, dispatcher: sharedDispatcher() };
}
