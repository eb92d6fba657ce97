import { ProviderError, type LanguageModel } from '../../../shared/llm';
import { type OpenAIProvider, createOpenAI } from '../openai/create-openai';
import { presetError } from './preset-error';
import { type PresetSettings, commonSettings } from './preset-settings';
import { wrapLanguageModel } from './wrap-language-model';

export const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';

export interface OpenRouterSettings extends PresetSettings {
  /** Falls back to OPENROUTER_API_KEY. */
  apiKey?: string;
  /** Your app's name on openrouter.ai (`X-Title`). */
  appName?: string;
  /** Your app's URL (`HTTP-Referer`). */
  appUrl?: string;
  /** Default https://openrouter.ai/api/v1. */
  baseURL?: string;
}

/** One model of OpenRouter's live list. Prices are USD per million tokens; unknown ones are left out. */
export interface OpenRouterModelInfo {
  id: string;
  name?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  prices: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number; reasoning?: number; request?: number };
  inputModalities?: string[];
  supportedParameters?: string[];
  /** The whole model object as OpenRouter sent it (the catalog reads its own fields from it). */
  raw: Record<string, unknown>;
}

export interface OpenRouterCredits {
  /** USD bought. */
  totalCredits: number;
  /** USD spent. */
  totalUsage: number;
  /** totalCredits − totalUsage. */
  remaining: number;
}

export interface OpenRouterProvider extends Omit<OpenAIProvider, 'languageModel' | 'chat' | 'listModels'> {
  languageModel(modelId: string): LanguageModel;
  chat(modelId: string): LanguageModel;
  /** `GET /models`: the live list with prices and context. */
  listModels(options?: { abortSignal?: AbortSignal }): Promise<OpenRouterModelInfo[]>;
  /** `GET /credits`: what the key's account bought and spent. */
  credits(options?: { abortSignal?: AbortSignal }): Promise<OpenRouterCredits>;
}

/**
 * OpenRouter over the OpenAI adapter: its base URL, its attribution headers, and
 * `usage: { include: true }` on every chat request so the cost it charged comes back in the
 * usage object (kept in `usage.raw.cost`, which the catalog's computeCost prefers).
 */
export function createOpenRouter(settings: OpenRouterSettings = {}): OpenRouterProvider {
  const provider = settings.provider ?? 'openrouter';
  const headers: Record<string, string> = { ...settings.headers };
  if (settings.appUrl !== undefined) headers['HTTP-Referer'] = settings.appUrl;
  if (settings.appName !== undefined) headers['X-Title'] = settings.appName;
  const inner = createOpenAI({
    ...commonSettings(settings),
    provider,
    baseURL: settings.baseURL ?? OPENROUTER_BASE_URL,
    headers,
    ...(settings.apiKey !== undefined ? { apiKey: settings.apiKey } : {}),
    apiKeyEnvVar: 'OPENROUTER_API_KEY',
    // OpenRouter streams reasoning as `delta.reasoning`.
    compat: { reasoningContentField: ['reasoning', 'reasoning_content'] },
  });

  const languageModel = (modelId: string): LanguageModel =>
    wrapLanguageModel(inner.languageModel(modelId), {
      transformOptions: (options) => ({
        ...options,
        providerOptions: {
          ...options.providerOptions,
          [provider]: { usage: { include: true }, ...options.providerOptions?.[provider] },
        },
      }),
    });

  const apiKey = (): string | undefined => {
    try {
      return inner.client().apiKey ?? undefined;
    } catch {
      return undefined;
    }
  };

  return {
    ...inner,
    languageModel,
    chat: languageModel,
    async listModels(options) {
      const models = await inner.listModels(options);
      return models.map((m) => toModelInfo(m.raw, m.id));
    },
    async credits(options) {
      const client = inner.client();
      let body: unknown;
      try {
        body = await client.get('/credits', { signal: options?.abortSignal });
      } catch (error) {
        throw presetError(error, provider, 'OpenRouter credits', apiKey());
      }
      const data = (body as { data?: { total_credits?: unknown; total_usage?: unknown } } | undefined)?.data;
      const total = Number(data?.total_credits);
      const used = Number(data?.total_usage);
      if (!Number.isFinite(total) || !Number.isFinite(used)) {
        throw new ProviderError({ kind: 'server', provider, message: 'OpenRouter credits: the answer had no total_credits / total_usage.' });
      }
      return { totalCredits: total, totalUsage: used, remaining: Number((total - used).toPrecision(12)) };
    },
  };
}

function toModelInfo(raw: Record<string, unknown>, id: string): OpenRouterModelInfo {
  const pricing = record(raw.pricing);
  const top = record(raw.top_provider);
  const architecture = record(raw.architecture);
  const prices: OpenRouterModelInfo['prices'] = {};
  const price = (key: keyof OpenRouterModelInfo['prices'], value: unknown, perMillion = true) => {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    // OpenRouter writes "-1" for a variable price: unknown, not negative.
    if (Number.isFinite(n) && n >= 0) prices[key] = perMillion ? Number((n * 1_000_000).toPrecision(12)) : n;
  };
  price('input', pricing.prompt);
  price('output', pricing.completion);
  price('cacheRead', pricing.input_cache_read);
  price('cacheWrite', pricing.input_cache_write);
  price('reasoning', pricing.internal_reasoning);
  price('request', pricing.request, false);
  const info: OpenRouterModelInfo = { id, prices, raw };
  if (typeof raw.name === 'string') info.name = raw.name;
  const context = positiveInt(raw.context_length) ?? positiveInt(top.context_length);
  if (context !== undefined) info.contextWindow = context;
  const maxOut = positiveInt(top.max_completion_tokens);
  if (maxOut !== undefined) info.maxOutputTokens = maxOut;
  if (Array.isArray(architecture.input_modalities)) info.inputModalities = architecture.input_modalities.filter((x): x is string => typeof x === 'string');
  if (Array.isArray(raw.supported_parameters)) info.supportedParameters = raw.supported_parameters.filter((x): x is string => typeof x === 'string');
  return info;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
