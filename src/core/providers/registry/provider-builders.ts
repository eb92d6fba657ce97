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
}

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
      probe: async (signal) => count((await factory.listModels({ abortSignal: signal })).length, 'model'),
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
    };
  },
  anthropic(config, { name, apiKey }) {
    const factory = createAnthropic({ name, ...key(apiKey), ...(config.baseURL !== undefined && { baseURL: config.baseURL }), ...http(config) });
    return {
      factory,
      baseURL: config.baseURL ?? 'https://api.anthropic.com',
      probe: async (signal) => count((await factory.listModels({ abortSignal: signal })).length, 'model'),
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
      probe: async (signal) => count((await factory.listModels({ abortSignal: signal })).length, 'model'),
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
      probe: async (signal) => count((await factory.listModels({ abortSignal: signal })).length, 'model'),
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
    };
  },
  mock(config) {
    const { type: _type, ...settings } = config;
    const factory = createMock(settings);
    return {
      factory,
      baseURL: null,
      probe: (signal) => probeByCompletion(factory.languageModel('mock'), signal),
    };
  },
};

/** Builds one configured provider with the builder for its type. */
export function buildProvider(builders: ProviderBuilders, config: Exclude<ProviderConfig, { type: 'local' }>, ctx: BuildContext): BuiltProvider | undefined {
  const builder = builders[config.type] as Builder<typeof config.type> | undefined;
  return builder?.(config as never, ctx);
}
