import type OpenAI from 'openai';

/** What every OpenAI model class gets from its provider: the shared client and key. */
export interface OpenAIModelConfig {
  provider: string;
  modelId: string;
  /** The SDK client; throws an `auth` ProviderError when no key is configured. */
  client: () => OpenAI;
  /** The key in use, so errors can scrub it whatever the server echoes. */
  apiKey: () => string | undefined;
}
