import { type OpenAIProvider, createOpenAI } from '../openai/create-openai';
import { insecureTLSFetch } from './insecure-tls-fetch';
import { type PresetSettings, commonSettings } from './preset-settings';

export interface OpenAICompatibleSettings extends Omit<PresetSettings, 'provider'> {
  /** The provider name models and errors report (the config's name for it: `lab`, `vllm`). */
  name: string;
  /** The server's OpenAI base URL, usually ending in `/v1`. */
  baseURL: string;
  /** Optional: many local servers need none. Never read from OPENAI_API_KEY (it is OpenAI's). */
  apiKey?: string;
  /** Skip TLS certificate verification for this provider only. INSECURE; for self-signed servers. */
  insecureTLS?: boolean;
}

/**
 * Any OpenAI-compatible server: vLLM, llama-server, LM Studio, a LiteLLM proxy. A key is optional
 * and never taken from another provider's environment variable.
 */
export function createOpenAICompatible(settings: OpenAICompatibleSettings): OpenAIProvider {
  return createOpenAI({
    ...commonSettings(settings),
    provider: settings.name,
    baseURL: settings.baseURL,
    ...(settings.apiKey !== undefined ? { apiKey: settings.apiKey } : {}),
    apiKeyEnvVar: null,
    requireApiKey: false,
    // Most of these servers don't enforce json_schema; JSON mode plus a warning is the honest default.
    compat: { supportsStructuredOutputs: false },
    ...(settings.insecureTLS === true ? { fetch: insecureTLSFetch() } : {}),
  });
}
