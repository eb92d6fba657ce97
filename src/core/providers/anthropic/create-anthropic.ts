import Anthropic from '@anthropic-ai/sdk';
import { ProviderError, type ModelCapabilities } from '../../../shared/llm';
import type { CountTokens, ProviderFactory } from '../types';
import { mapAnthropicError } from './anthropic-error';
import { AnthropicMessagesModel } from './anthropic-messages-model';

export interface AnthropicProviderSettings {
  /** The key; falls back to ANTHROPIC_API_KEY. Checked when a call is made, not here. */
  apiKey?: string;
  /**
   * API root, e.g. `https://api.anthropic.com` (the SDK appends `/v1/messages`). A trailing `/v1`,
   * as OpenAI-style base URLs have, is dropped. Unset: ANTHROPIC_BASE_URL, then Anthropic's own.
   */
  baseURL?: string;
  /** Sent with every request. */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /**
   * Retries inside the SDK. 0 by default: the router retries by error kind and honours
   * Retry-After itself, and two retry loops would multiply.
   */
  maxRetries?: number;
  /** The provider's name in switchboard.yaml, used to name the setting in errors. Default `anthropic`. */
  name?: string;
  /** Capabilities to report for every model of this provider (the catalog knows better per model). */
  capabilities?: Partial<ModelCapabilities>;
}

export interface AnthropicProvider extends ProviderFactory {
  languageModel(modelId: string): AnthropicMessagesModel;
  /** Counts a prompt's input tokens for one model with Anthropic's count_tokens. */
  countTokens(modelId: string): CountTokens;
  /** The models the key can use, from `GET /v1/models`. */
  listModels(options?: { abortSignal?: AbortSignal }): Promise<Array<{ id: string; displayName: string; createdAt: string }>>;
}

const PROVIDER = 'anthropic';

/** Anthropic's Messages API. The factory owns the key, base URL and headers; models are handed out by id. */
export function createAnthropic(settings: AnthropicProviderSettings = {}): AnthropicProvider {
  const name = settings.name ?? PROVIDER;
  let client: Anthropic | undefined;
  const apiKey = () => settings.apiKey ?? process.env.ANTHROPIC_API_KEY;
  const getClient = (): Anthropic => {
    const key = apiKey();
    if (key === undefined || key.trim() === '') {
      throw new ProviderError({
        kind: 'auth',
        message: `No API key for Anthropic: set providers.${name}.apiKey in switchboard.yaml or the ANTHROPIC_API_KEY environment variable.`,
        provider: PROVIDER,
      });
    }
    client ??= new Anthropic({
      apiKey: key,
      baseURL: normalizeBaseURL(settings.baseURL),
      defaultHeaders: settings.headers,
      timeout: settings.timeoutMs,
      maxRetries: settings.maxRetries ?? 0,
      // Errors are reported as ProviderErrors; the SDK's own log lines would repeat them.
      logLevel: 'off',
    });
    return client;
  };
  const config = { provider: PROVIDER, client: getClient, secrets: () => [apiKey()], capabilities: settings.capabilities };
  const languageModel = (modelId: string) => new AnthropicMessagesModel(modelId, config);

  return {
    provider: PROVIDER,
    languageModel,
    countTokens: (modelId) => (options) => languageModel(modelId).countTokens(options),
    async listModels(options = {}) {
      try {
        const out: Array<{ id: string; displayName: string; createdAt: string }> = [];
        for await (const model of getClient().models.list({}, { signal: options.abortSignal ?? null })) {
          out.push({ id: model.id, displayName: model.display_name, createdAt: model.created_at });
        }
        return out;
      } catch (error) {
        throw mapAnthropicError(error, { provider: PROVIDER, abortSignal: options.abortSignal, secrets: [apiKey()] });
      }
    },
  };
}

/** `https://host/v1/` → `https://host`: the SDK adds `/v1` itself. */
export function normalizeBaseURL(baseURL: string | undefined): string | undefined {
  if (baseURL === undefined || baseURL.trim() === '') return undefined;
  return baseURL.trim().replace(/\/+$/, '').replace(/\/v1$/, '');
}
