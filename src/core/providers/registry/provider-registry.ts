import { LOCAL_PROVIDER, type ProviderConfig, type ProviderType, type SwitchboardConfig } from '../../config';
import { type LanguageModel, ProviderError, type ProviderErrorData, type Usage } from '../../../shared/llm';
import { type ProviderFactory } from '../types';
import { maskKey } from './mask-key';
import { type BuiltProvider, KEY_ENV_VARS, type ListedModel, type ModelLister, type Probe, type ProviderBuilders, buildProvider, defaultBuilders } from './provider-builders';

/** The built-in engine, as the registry sees it: the local library's models. */
export interface LocalModels {
  /** The model for `local/<name>` (or undefined when the library has no such model). */
  resolve(modelId: string): Promise<LanguageModel | undefined>;
  /** For `providers test local`: e.g. `2 models in /data/models`. */
  describe(): Promise<string>;
}

/** Prices a call from its usage: `(type, modelId, usage) → USD`, undefined when unknown. */
export type CostOf = (type: ProviderType, modelId: string, usage: Usage) => number | undefined;

export interface ProviderRegistryOptions {
  config: SwitchboardConfig;
  local: LocalModels;
  /** Where keys fall back to (OPENAI_API_KEY, …). Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  builders?: ProviderBuilders;
  costOf?: CostOf;
  clock?: () => number;
}

export interface RegisteredProvider {
  name: string;
  type: ProviderType;
  /** The `local` engine, present whatever the config says. */
  builtIn: boolean;
  baseURL: string | null;
  /** Where the key came from; undefined when there is none. The key itself stays in here. */
  keySource: 'config' | 'env' | undefined;
  keyHint: string | undefined;
  /** Why it cannot be used (an adapter missing from this build, a bad setting). */
  problem: string | undefined;
  factory: ProviderFactory | undefined;
  probe: Probe | undefined;
  /** Its live model list, when the adapter has one. */
  listModels?: ModelLister | undefined;
  /** Models it offers without a list (the mock; Azure's configured deployment). */
  offeredModels?: ListedModel[] | undefined;
}

/** A configured provider's model, resolved from a `provider/model` ref. */
export interface ResolvedModel {
  model: LanguageModel;
  provider: string;
  type: ProviderType;
  modelId: string;
  ref: string;
  costUsd: (usage: Usage) => number | null;
}

export interface ProviderTestResult {
  name: string;
  type: ProviderType;
  ok: boolean;
  latencyMs: number;
  /** On success, what the call found (`12 models`). */
  detail: string | null;
  error: ProviderErrorData | null;
}

/** A ref that names no provider, or a provider that cannot be used. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly code: 'NOT_FOUND' | 'UNAVAILABLE',
    message: string,
    readonly data: { providers: string[]; provider?: string },
  ) {
    super(message);
  }
}

export interface ProviderRegistry {
  /** Configured names, `local` first. */
  names(): string[];
  get(name: string): RegisteredProvider | undefined;
  list(): RegisteredProvider[];
  /**
   * A configured (non-local) provider's model for `provider/model`; undefined for refs the local
   * library answers (`local/…`, or a bare name). Throws RegistryError for an unknown provider.
   */
  resolveRemote(ref: string): ResolvedModel | undefined;
  /** Any ref, local ones included, → a model. Throws RegistryError when nothing answers it. */
  resolve(ref: string): Promise<LanguageModel>;
  /** Makes each provider's cheap call (all, or the one named). */
  test(name?: string, options?: { signal?: AbortSignal }): Promise<ProviderTestResult[]>;
}

/** `openai/gpt-4o-mini` → `{ provider: 'openai', modelId: 'gpt-4o-mini' }`; the model part may hold more slashes. */
export function parseModelRef(ref: string): { provider: string; modelId: string } | undefined {
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash === ref.length - 1) return undefined;
  return { provider: ref.slice(0, slash), modelId: ref.slice(slash + 1) };
}

/**
 * The providers of one config, built: name → adapter factory, key and base URL. A config reload
 * builds a new registry; nothing here is mutable. Keys come from the config or the vendor's usual
 * environment variable and never leave: callers see `keySource` and a masked hint.
 */
export function createProviderRegistry(options: ProviderRegistryOptions): ProviderRegistry {
  const env = options.env ?? process.env;
  const builders = options.builders ?? defaultBuilders;
  const clock = options.clock ?? Date.now;
  const entries = new Map<string, RegisteredProvider>();

  entries.set(LOCAL_PROVIDER, {
    name: LOCAL_PROVIDER, type: 'local', builtIn: true, baseURL: null, keySource: undefined, keyHint: undefined,
    problem: undefined, factory: undefined, probe: () => options.local.describe(),
  });
  for (const [name, config] of Object.entries(options.config.providers)) {
    if (config.type === 'local') continue;
    entries.set(name, register(name, config));
  }

  function register(name: string, config: Exclude<ProviderConfig, { type: 'local' }>): RegisteredProvider {
    const { apiKey, source } = keyOf(config);
    const base = {
      name, type: config.type, builtIn: false,
      keySource: source, keyHint: apiKey === undefined ? undefined : maskKey(apiKey),
    };
    let built: BuiltProvider | undefined;
    try {
      built = buildProvider(builders, config, { name, apiKey });
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      return { ...base, baseURL: null, problem, factory: undefined, probe: undefined };
    }
    if (built === undefined) {
      return { ...base, baseURL: null, problem: `the ${config.type} adapter is not in this build`, factory: undefined, probe: undefined };
    }
    return {
      ...base, baseURL: built.baseURL, problem: undefined, factory: built.factory, probe: built.probe,
      listModels: built.listModels, offeredModels: built.offeredModels,
    };
  }

  function keyOf(config: Exclude<ProviderConfig, { type: 'local' }>): { apiKey: string | undefined; source: 'config' | 'env' | undefined } {
    const configured = 'bearerToken' in config && config.bearerToken ? config.bearerToken : 'apiKey' in config ? config.apiKey : undefined;
    if (configured !== undefined && configured !== '') return { apiKey: configured, source: 'config' };
    const envVar = KEY_ENV_VARS[config.type];
    const fromEnv = envVar === undefined ? undefined : env[envVar];
    if (fromEnv !== undefined && fromEnv !== '') return { apiKey: fromEnv, source: 'env' };
    return { apiKey: undefined, source: undefined };
  }

  const names = () => [...entries.keys()];

  function unknownProvider(ref: string, provider: string): RegistryError {
    return new RegistryError(
      'NOT_FOUND',
      `unknown provider "${provider}" in model "${ref}"; configured providers: ${names().join(', ')} (add it under providers: in switchboard.yaml)`,
      { providers: names(), provider },
    );
  }

  function usable(entry: RegisteredProvider): ProviderFactory {
    if (entry.factory === undefined) {
      throw new RegistryError('UNAVAILABLE', `provider "${entry.name}" cannot be used: ${entry.problem ?? 'not built'}`, {
        providers: names(),
        provider: entry.name,
      });
    }
    return entry.factory;
  }

  function resolveRemote(ref: string): ResolvedModel | undefined {
    const parsed = parseModelRef(ref);
    if (parsed === undefined || parsed.provider === LOCAL_PROVIDER) return undefined;
    const entry = entries.get(parsed.provider);
    if (entry === undefined) throw unknownProvider(ref, parsed.provider);
    const factory = usable(entry);
    const model = factory.languageModel(parsed.modelId);
    const { type } = entry;
    return {
      model,
      provider: entry.name,
      type,
      modelId: parsed.modelId,
      ref,
      costUsd: (usage) => options.costOf?.(type, parsed.modelId, usage) ?? null,
    };
  }

  return {
    names,
    get: (name) => entries.get(name),
    list: () => [...entries.values()],
    resolveRemote,
    async resolve(ref) {
      const remote = resolveRemote(ref);
      if (remote !== undefined) return remote.model;
      const model = await options.local.resolve(ref);
      if (model === undefined) {
        throw new RegistryError('NOT_FOUND', `no local model "${ref}"`, { providers: names(), provider: LOCAL_PROVIDER });
      }
      return model;
    },
    async test(name, testOptions = {}) {
      const targets = name === undefined ? [...entries.values()] : [entries.get(name)];
      if (targets[0] === undefined) {
        throw new RegistryError('NOT_FOUND', `no provider "${name}"; configured providers: ${names().join(', ')}`, { providers: names() });
      }
      return Promise.all(
        (targets as RegisteredProvider[]).map(async (entry): Promise<ProviderTestResult> => {
          const startedAt = clock();
          const signal = testOptions.signal ?? new AbortController().signal;
          try {
            if (entry.probe === undefined) throw new ProviderError({ kind: 'bad_request', retryable: false, provider: entry.name, message: entry.problem ?? 'cannot be used' });
            const detail = await entry.probe(signal);
            return { name: entry.name, type: entry.type, ok: true, latencyMs: clock() - startedAt, detail, error: null };
          } catch (error) {
            const data = ProviderError.from(error, { kind: 'server', provider: entry.name }).toData();
            return { name: entry.name, type: entry.type, ok: false, latencyMs: clock() - startedAt, detail: null, error: data };
          }
        }),
      );
    },
  };
}
