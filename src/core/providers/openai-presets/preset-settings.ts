import type { OpenAIProviderSettings } from '../openai/create-openai';

/** What every preset also takes: connection tuning, and what the registry sets. */
export interface PresetSettings {
  /** The provider name its models and errors report. Default: the preset's own (`azure`, `openrouter`, …). */
  provider?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxRetries?: number;
  /** The setting named when the key is missing (`providers.<name>.apiKey`). */
  apiKeySetting?: string;
  fetch?: OpenAIProviderSettings['fetch'];
}

/** The preset settings that pass straight to createOpenAI, leaving out the ones not given. */
export function commonSettings(settings: PresetSettings): OpenAIProviderSettings {
  const out: OpenAIProviderSettings = {};
  if (settings.headers !== undefined) out.headers = settings.headers;
  if (settings.timeoutMs !== undefined) out.timeoutMs = settings.timeoutMs;
  if (settings.maxRetries !== undefined) out.maxRetries = settings.maxRetries;
  if (settings.apiKeySetting !== undefined) out.apiKeySetting = settings.apiKeySetting;
  if (settings.fetch !== undefined) out.fetch = settings.fetch;
  return out;
}
