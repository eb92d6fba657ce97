import { type ProviderConfig, type ProviderConfigOf, type ProviderType } from '../../config';
import { createAnthropic } from '../anthropic';
import { createMock } from '../mock';
import { createOllama } from '../ollama';
import { createOpenAI } from '../openai';
import { createAzureOpenAI, createDeepSeek, createOpenAICompatible, createOpenRouter } from '../openai-presets';
import { type ProviderFactory } from '../types';
import { probeByCompletion } from './probe';

/** What a provider's `test` reports when it passes: a short line, e.g. `12 models`. */
export type Probe = (signal: AbortSignal) => Promise<string>;

export interface BuiltProvider {
  factory: ProviderFactory;
  /** Where it connects, for display. */
  baseURL: string | null;
  /** A cheap call that proves the connection and the key. */
  probe: Probe;
  /** The provider's chat models, from its live list (`GET /models`, `/api/tags`), when it has one. */
  listModels?: ModelLister;
  /** Models it offers without asking anyone (the mock: any id works). */
  offeredModels?: ListedModel[];
}

/** One model as a provider's own list describes it; the catalog fills in what it leaves out. */
export interface ListedModel {
  id: string;
  displayName?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  /** USD per million tokens. */
  prices?: { input?: number; output?: number };
  vision?: boolean;
  tools?: boolean;
  reasoning?: boolean;
}

export type ModelLister = (signal: AbortSignal) => Promise<ListedModel[]>;

/**
 * Ids in OpenAI-style lists that are not chat models (embeddings, speech, images, moderation,
 * legacy completions). Applied to the official OpenAI, Azure and DeepSeek lists and to catalog
 * fallbacks; an OpenAI-compatible server's list is shown as it is.
 */
export const NON_CHAT_MODEL = /(embed|tts|whisper|dall-e|moderation|transcribe|realtime|audio|search|(^|[-/])image|(^|-)(ada|babbage|curie|davinci)($|-)|computer-use)/i;

/** The cheapest proof of a connection and its key: list the models. */
const probeByListing =
  (factory: { listModels(options: { abortSignal: AbortSignal }): Promise<unknown[]> }): Probe =>
  async (signal) =>
    count((await factory.listModels({ abortSignal: signal })).length, 'model');

const chatOnly = (models: Array<{ id: string }>): ListedModel[] => models.filter((m) => !NON_CHAT_MODEL.test(m.id)).map((m) => ({ id: m.id }));


export interface BuildContext {
  /** The configured name (`openai`, `claude`, `lab`). */
  name: string;
  /** The key to use, from the config or the environment; undefined when neither has one. */
  apiKey: string | undefined;
}

type Builder<T extends ProviderType> = (config: ProviderConfigOf<T>, ctx: BuildContext) => BuiltProvider;
export type ProviderBuilders = { [T in Exclude<ProviderType, 'local'>]?: Builder<T> };

/** The environment variable each type's key falls back to, as in the vendors' own SDKs. */
export const KEY_ENV_VARS: Partial<Record<ProviderType, string>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  openrouter: 'OPENROUTER_API_KEY',
  deepseek: 'DEEPSEEK_API_KEY',
  azure: 'AZURE_OPENAI_API_KEY',
};

/** The model the mock offers in the picker (any id works). */
export const MOCK_MODEL_ID = 'mock-1';

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Connection settings every HTTP adapter shares, leaving out the ones not set. */
function http(config: { headers?: Record<string, string>; timeoutMs?: number; maxRetries?: number }) {
  return {
    ...(config.headers !== undefined && { headers: config.headers }),
    ...(config.timeoutMs !== undefined && { timeoutMs: config.timeoutMs }),
    ...(config.maxRetries !== undefined && { maxRetries: config.maxRetries }),
  };
}

const key = (apiKey: string | undefined) => (apiKey === undefined ? {} : { apiKey });

/** `type` → adapter factory. A type missing here is reported as unavailable, not a crash. */
export const defaultBuilders: ProviderBuilders = {
  openai(config, { name, apiKey }) {
    const factory = createOpenAI({
      provider: name,
      ...key(apiKey),
      // The key is resolved by the registry (config, then OPENAI_API_KEY); nothing else is read.
      apiKeyEnvVar: null,
      apiKeySetting: `providers.${name}.apiKey or OPENAI_API_KEY`,
      ...(config.baseURL !== undefined && { baseURL: config.baseURL }),
      ...(config.organization !== undefined && { organization: config.organization }),
      ...(config.project !== undefined && { project: config.project }),
      ...http(config),
    });
    return {
      factory,
      baseURL: config.baseURL ?? 'https://api.openai.com/v1',
      probe: probeByListing(factory),
      listModels: async (signal) => chatOnly(await factory.listModels({ abortSignal: signal })),
    };
  },
  azure(config, { name, apiKey }) {
    const factory = createAzureOpenAI({
      provider: name,
      endpoint: config.endpoint,
      apiVersion: config.apiVersion,
      ...(config.deployment !== undefined && { deployment: config.deployment }),
      ...(config.bearerToken !== undefined ? { bearerToken: config.bearerToken } : key(apiKey)),
      apiKeySetting: `providers.${name}.apiKey (or bearerToken)`,
      ...http(config),
    });
    const deployment = config.deployment;
    return {
      factory,
      baseURL: `${config.endpoint.replace(/\/+$/, '')}/openai`,
      probe: deployment
        ? (signal) => probeByCompletion(factory.languageModel(deployment), signal)
        : async (signal) => count((await factory.listModels({ abortSignal: signal })).length, 'model'),
      // Azure calls deployments by name: the configured one is what can be called.
      ...(deployment ? { offeredModels: [{ id: deployment }] } : { listModels: async (signal: AbortSignal) => chatOnly(await factory.listModels({ abortSignal: signal })) }),
    };
  },
  anthropic(config, { name, apiKey }) {
    const factory = createAnthropic({ name, ...key(apiKey), ...(config.baseURL !== undefined && { baseURL: config.baseURL }), ...http(config) });
    return {
      factory,
      baseURL: config.baseURL ?? 'https://api.anthropic.com',
      probe: probeByListing(factory),
      listModels: async (signal) => (await factory.listModels({ abortSignal: signal })).map((m) => ({ id: m.id, displayName: m.displayName })),
    };
  },
  openrouter(config, { name, apiKey }) {
    const factory = createOpenRouter({
      provider: name,
      ...key(apiKey),
      apiKeySetting: `providers.${name}.apiKey`,
      ...(config.appName !== undefined && { appName: config.appName }),
      ...(config.appUrl !== undefined && { appUrl: config.appUrl }),
      ...(config.baseURL !== undefined && { baseURL: config.baseURL }),
      ...http(config),
    });
    return {
      factory,
      baseURL: config.baseURL ?? 'https://openrouter.ai/api/v1',
      // The model list is public; credits need the key, so they prove it.
      probe: async (signal) => {
        const credits = await factory.credits({ abortSignal: signal });
        return `$${credits.remaining.toFixed(2)} of $${credits.totalCredits.toFixed(2)} credits left`;
      },
      listModels: async (signal) =>
        (await factory.listModels({ abortSignal: signal })).map((m) => ({
          id: m.id,
          ...(m.name !== undefined && { displayName: m.name }),
          ...(m.contextWindow !== undefined && { contextWindow: m.contextWindow }),
          ...(m.maxOutputTokens !== undefined && { maxOutputTokens: m.maxOutputTokens }),
          prices: { ...(m.prices.input !== undefined && { input: m.prices.input }), ...(m.prices.output !== undefined && { output: m.prices.output }) },
          ...(m.inputModalities !== undefined && { vision: m.inputModalities.includes('image') }),
          ...(m.supportedParameters !== undefined && {
            tools: m.supportedParameters.includes('tools'),
            reasoning: m.supportedParameters.includes('reasoning') || m.supportedParameters.includes('include_reasoning'),
          }),
        })),
    };
  },
  deepseek(config, { name, apiKey }) {
    const factory = createDeepSeek({
      provider: name,
      ...key(apiKey),
      apiKeySetting: `providers.${name}.apiKey`,
      ...(config.baseURL !== undefined && { baseURL: config.baseURL }),
      ...http(config),
    });
    return {
      factory,
      baseURL: config.baseURL ?? 'https://api.deepseek.com',
      probe: probeByListing(factory),
      listModels: async (signal) => chatOnly(await factory.listModels({ abortSignal: signal })),
    };
  },
  'openai-compatible'(config, { name, apiKey }) {
    const factory = createOpenAICompatible({
      name,
      baseURL: config.baseURL,
      ...key(apiKey),
      ...(config.insecureTLS !== undefined && { insecureTLS: config.insecureTLS }),
      ...http(config),
    });
    return {
      factory,
      baseURL: config.baseURL,
      probe: probeByListing(factory),
      listModels: async (signal) => (await factory.listModels({ abortSignal: signal })).map((m) => ({ id: m.id })),
    };
  },
  ollama(config, { apiKey }) {
    const factory = createOllama({
      ...key(apiKey),
      ...(config.baseURL !== undefined && { baseURL: config.baseURL }),
      ...(config.headers !== undefined && { headers: config.headers }),
      ...(config.timeoutMs !== undefined && { timeoutMs: config.timeoutMs }),
    });
    return {
      factory,
      baseURL: factory.baseURL,
      probe: async (signal) => count((await factory.list({ signal })).length, 'installed model'),
      // Embedding models can't chat; the list says nothing else about what a model does.
      listModels: async (signal) =>
        (await factory.list({ signal }))
          .filter((m) => !/embed/i.test(m.name) && !/bert/i.test(m.details.family ?? ''))
          .map((m) => ({ id: m.name })),
    };
  },
  mock(config) {
    const { type: _type, ...settings } = config;
    const factory = createMock(settings);
    return {
      factory,
      baseURL: null,
      probe: (signal) => probeByCompletion(factory.languageModel('mock'), signal),
      // Any id answers; offer one so the picker has something to show.
      offeredModels: [{ id: MOCK_MODEL_ID, displayName: 'Mock model', vision: factory.capabilities.vision, tools: factory.capabilities.tools, reasoning: factory.capabilities.reasoning }],
    };
  },
};

/** Builds one configured provider with the builder for its type. */
export function buildProvider(builders: ProviderBuilders, config: Exclude<ProviderConfig, { type: 'local' }>, ctx: BuildContext): BuiltProvider | undefined {
  const builder = builders[config.type] as Builder<typeof config.type> | undefined;
  return builder?.(config as never, ctx);
}
