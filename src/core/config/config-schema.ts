import { z } from 'zod';
import { providerErrorKindSchema, unifiedFinishReasonSchema } from '../../shared/llm';
import { KV_CACHE_TYPES } from '../engine/engine';
import { compilePromptMatcher } from '../router/rules';

/**
 * The schema of `switchboard.yaml` (or JSON). Objects are strict, so a misspelt key
 * (`baseUrl`) is an error that names it rather than a setting silently ignored.
 * Values that came from `${ENV}` substitution are text, so numbers and booleans also
 * accept their decimal / `true`/`false` spelling.
 */

export const PROVIDER_TYPES = [
  'openai',
  'azure',
  'anthropic',
  'openrouter',
  'deepseek',
  'openai-compatible',
  'ollama',
  'local',
  'mock',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** The name of the built-in engine provider, present whether or not the file declares it. */
export const LOCAL_PROVIDER = 'local';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const nameKey = z
  .string()
  .regex(NAME_RE, 'names use letters, digits, ".", "_" and "-", and start with a letter or digit (no "/")');

const httpUrl = z.url({
  protocol: /^https?$/,
  error: (issue) => (issue.input === undefined ? 'required' : 'expected a URL (http:// or https://)'),
});

/** A whole number, or its decimal text (from `${ENV}`). */
const intLike = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `expected a whole number from ${min} to ${max}` })
      .int(`expected a whole number from ${min} to ${max}`)
      .min(min, `expected at least ${min}`)
      .max(max, `expected at most ${max}`),
  );

/** A number, or its decimal text (from `${ENV}`). */
const numberLike = (min: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    z.number({ error: 'expected a number' }).min(min, `expected at least ${min}`),
  );

/** true/false, or its text (from `${ENV}`). */
const boolLike = z.preprocess(
  (v) => (v === 'true' ? true : v === 'false' ? false : v),
  z.boolean({ error: 'expected true or false' }),
);

const secret = z.string({ error: 'expected text (use ${ENV_VAR} to read it from the environment)' });
const headers = z.record(z.string(), z.string({ error: 'expected a header value as text' }));
const timeoutMs = intLike(1, 3_600_000);
const maxRetries = intLike(0, 10);

/** Settings most HTTP providers share. */
const http = {
  headers: headers.optional(),
  timeoutMs: timeoutMs.optional(),
  maxRetries: maxRetries.optional(),
};

const openaiProvider = z.strictObject({
  type: z.literal('openai'),
  apiKey: secret.optional(),
  baseURL: httpUrl.optional(),
  organization: z.string().optional(),
  project: z.string().optional(),
  ...http,
});

const azureProvider = z.strictObject({
  type: z.literal('azure'),
  /** `https://<resource>.openai.azure.com` */
  endpoint: httpUrl,
  /** The deployment; without one, a model ref's model part names the deployment. */
  deployment: z.string().min(1).optional(),
  apiVersion: z.string().min(1, 'expected an api-version such as 2024-10-21'),
  apiKey: secret.optional(),
  bearerToken: secret.optional(),
  ...http,
});

const anthropicProvider = z.strictObject({
  type: z.literal('anthropic'),
  apiKey: secret.optional(),
  baseURL: httpUrl.optional(),
  ...http,
});

const openrouterProvider = z.strictObject({
  type: z.literal('openrouter'),
  apiKey: secret.optional(),
  /** Sent as X-Title: your app's name on openrouter.ai. */
  appName: z.string().optional(),
  /** Sent as HTTP-Referer. */
  appUrl: httpUrl.optional(),
  baseURL: httpUrl.optional(),
  ...http,
});

const deepseekProvider = z.strictObject({
  type: z.literal('deepseek'),
  apiKey: secret.optional(),
  baseURL: httpUrl.optional(),
  ...http,
});

const openaiCompatibleProvider = z.strictObject({
  type: z.literal('openai-compatible'),
  baseURL: httpUrl,
  apiKey: secret.optional(),
  /** Skips TLS certificate checks for this provider only (self-signed servers). Insecure. */
  insecureTLS: boolLike.optional(),
  ...http,
});

const ollamaProvider = z.strictObject({
  type: z.literal('ollama'),
  baseURL: httpUrl.optional(),
  /** For Ollama's cloud or a proxy that wants one (sent as a bearer token). */
  apiKey: secret.optional(),
  headers: headers.optional(),
  timeoutMs: timeoutMs.optional(),
});

const localProvider = z.strictObject({ type: z.literal('local') });

const count = intLike(0);

/** The mock adapter's settings (providers/mock's mockSettingsSchema), with the file's error messages. */
const mockProvider = z.strictObject({
  type: z.literal('mock'),
  /** Canned reply. Default: a sentence saying it is the mock. */
  response: z.string().optional(),
  /** Answer with the last user message instead. */
  echo: boolLike.optional(),
  /** Reasoning streamed before the answer. */
  reasoning: z.string().optional(),
  toolCalls: z
    .array(z.strictObject({ toolName: z.string().min(1), input: z.unknown(), toolCallId: z.string().optional() }))
    .optional(),
  /** Time to first token, ms. */
  latencyMs: numberLike(0).optional(),
  /** Time between tokens, ms. */
  tokenDelayMs: numberLike(0).optional(),
  /** Make calls fail with this ProviderError kind (all of them, or a share: `rate`). */
  fault: z
    .strictObject({
      kind: providerErrorKindSchema,
      message: z.string().optional(),
      status: intLike(100, 599).optional(),
      afterTokens: count.optional(),
      retryAfterMs: numberLike(0).optional(),
      rate: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number().min(0).max(1, 'expected a share from 0 to 1')).optional(),
    })
    .optional(),
  usage: z
    .strictObject({ inputTokens: count.optional(), outputTokens: count.optional(), cacheReadTokens: count.optional(), reasoningTokens: count.optional() })
    .optional(),
  finishReason: unifiedFinishReasonSchema.optional(),
  seed: intLike(Number.MIN_SAFE_INTEGER).optional(),
});

const providerSchema = z.discriminatedUnion(
  'type',
  [
    openaiProvider,
    azureProvider,
    anthropicProvider,
    openrouterProvider,
    deepseekProvider,
    openaiCompatibleProvider,
    ollamaProvider,
    localProvider,
    mockProvider,
  ],
  {
    error: (issue) => (issue.code === 'invalid_union' ? providerTypeMessage(issue.input) : undefined),
  },
);

/** Names the type that was written (or says it is missing), then the ones that exist. */
function providerTypeMessage(provider: unknown): string {
  const expected = `expected one of ${PROVIDER_TYPES.join(', ')}`;
  const type = typeof provider === 'object' && provider !== null ? (provider as { type?: unknown }).type : undefined;
  if (type === undefined || type === null) return `required: the provider's type, ${expected}`;
  return `unknown provider type ${JSON.stringify(type)}; ${expected}`;
}

export type ProviderConfig = z.output<typeof providerSchema>;
export type ProviderConfigOf<T extends ProviderType> = Extract<ProviderConfig, { type: T }>;

export const ROUTING_STRATEGIES = ['ordered', 'weighted', 'round-robin', 'lowest-cost', 'lowest-latency', 'least-busy'] as const;

const deploymentSchema = z.strictObject({
  provider: nameKey,
  model: z.string().min(1, 'expected a model id'),
  weight: numberLike(0).optional(),
  order: intLike(0).optional(),
});

const groupSchema = z.strictObject({
  strategy: z.enum(ROUTING_STRATEGIES, { error: `expected one of ${ROUTING_STRATEGIES.join(', ')}` }).optional(),
  deployments: z.array(deploymentSchema).min(1, 'a group needs at least one deployment'),
  fallbacks: z.array(nameKey).optional(),
  /** Tried instead of `fallbacks` after a context-length error (or when no deployment can hold the prompt). */
  contextWindowFallbacks: z.array(nameKey).optional(),
  /** Tried instead of `fallbacks` after a content-filter refusal. */
  contentPolicyFallbacks: z.array(nameKey).optional(),
});

const promptMatcher = z
  .string({ error: 'expected a regular expression as text, such as "\\b(code|bug|stack trace)\\b" or "/^fix/i"' })
  .min(1, 'expected a regular expression')
  .superRefine((text, ctx) => {
    const compiled = compilePromptMatcher(text);
    if (typeof compiled === 'string') ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${compiled}` });
  });

const ruleSchema = z.strictObject({
  when: z.strictObject({
    tag: z.string().optional(),
    model: z.string().optional(),
    client: z.string().optional(),
    /** A regular expression tested on the prompt text (system prompt and every message). */
    prompt: promptMatcher.optional(),
  }),
  use: nameKey,
});

export const BUDGET_ACTIONS = ['block', 'warn', 'fallback-local'] as const;

const budgetSchema = z.strictObject({
  scope: z
    .string()
    .regex(/^(global|(provider|group|model):.+)$/, 'expected global, provider:NAME, group:NAME or model:ID'),
  /** USD per day (from local midnight). */
  daily: numberLike(0).optional(),
  /** USD per calendar month. */
  monthly: numberLike(0).optional(),
  /** At 100%: block (a budget error), fallback-local (reroute to router.localFallback), or warn (alert only). Default block. */
  onExceeded: z.enum(BUDGET_ACTIONS, { error: 'expected block, warn or fallback-local' }).optional(),
});

/** Error kinds, for the breaker's counted kinds. */
const errorKinds = z.array(providerErrorKindSchema, { error: 'expected a list of error kinds' });

/** The router's policy: retries, the per-deployment breaker, fallback depth, the budget fallback model. */
const routerSchema = z.strictObject({
  /** Retries within a group after the first attempt (moving to a peer counts as one). Default 2. */
  maxRetries: intLike(0, 20).optional(),
  /** Exponential backoff with full jitter: base and cap, ms. Default 500 and 8000. */
  baseDelayMs: intLike(0, 600_000).optional(),
  maxDelayMs: intLike(0, 3_600_000).optional(),
  /** A Retry-After longer than this is not waited for: the group's fallbacks run instead. Default 60000. */
  maxRetryAfterMs: intLike(0, 3_600_000).optional(),
  /** Fallback hops a request may take. Default 3. */
  maxFallbackDepth: intLike(0, 20).optional(),
  /** The per-deployment circuit breaker. */
  cooldown: z
    .strictObject({
      /** Failures within windowMs that open it. Default 5 in 60000. */
      failures: intLike(1, 1000).optional(),
      windowMs: intLike(1, 86_400_000).optional(),
      /** How long it stays open before one half-open probe. Default 30000. */
      cooldownMs: intLike(0, 86_400_000).optional(),
      /** Error kinds that count. Default rate_limit, timeout, connection, server, engine_crashed. */
      errorKinds: errorKinds.optional(),
      /** Error kinds that open it at once. Default auth, budget. */
      openAtOnce: errorKinds.optional(),
    })
    .optional(),
  /** The local model (`local/name`, or a bare library name) a `fallback-local` budget reroutes to. Default: the first usable one. */
  localFallback: z.string().min(1).optional(),
});
export type RouterConfig = z.output<typeof routerSchema>;

/** The response cache: exact match on the normalized request, per group, in SQLite. Off by default. */
const cacheSchema = z.strictObject({
  enabled: boolLike.optional(),
  /** How long an answer is served from the cache. Default 3600. */
  ttlSeconds: intLike(1, 31_536_000).optional(),
  /** Only these groups (default: every group and direct ref). */
  groups: z.array(z.string().min(1)).optional(),
  /**
   * Also cache replies sampled with temperature > 0 (or no temperature given, which samples at the
   * provider's default). Default false: only temperature 0 replies are cached, since others are
   * meant to differ between calls.
   */
  sampled: boolLike.optional(),
  /** Entries kept at most (oldest dropped). Default 10000. */
  maxEntries: intLike(1, 10_000_000).optional(),
});
export type CacheConfig = z.output<typeof cacheSchema>;

/** The HTTP gateway (OpenAI- and Anthropic-compatible API). A running host follows a change: it starts, stops or restarts it (services/gateway-control-service.ts). */
const gatewaySchema = z.strictObject({
  /** Start it with `switchboard serve` (and in the app). Default false. */
  enabled: boolLike.optional(),
  /** Default 127.0.0.1. Anything else exposes the gateway to the network (a warning is printed). */
  host: z.string().min(1).optional(),
  /** Default 5178; 0 picks a free port. */
  port: intLike(0, 65535).optional(),
  /** Host names accepted besides loopback ones, when it is reached by another name (DNS-rebinding check). */
  allowedHosts: z.array(z.string().regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'expected a host name such as box.lan')).optional(),
  /** Browser origins allowed to call it (CORS), e.g. http://localhost:3000, or "*". Default none. */
  corsOrigins: z.array(z.string().regex(/^\*$|^https?:\/\/[^/\s]+$/, 'expected an origin such as http://localhost:3000 (scheme, host, port; no path), or *')).optional(),
  /** Largest request body in bytes (413 above it). Default 20 MiB: images travel as base64. */
  maxBodyBytes: intLike(1024, 1024 * 1024 * 1024).optional(),
  /** Requests in flight at once; more get 429 with Retry-After. Default 32. */
  maxConcurrency: intLike(1, 100_000).optional(),
});
export type GatewayConfig = z.output<typeof gatewaySchema>;

/** A number within [min, max], or its decimal text (from `${ENV}`). */
const rangeLike = (min: number, max: number, exclusiveMin = false) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `expected a number ${exclusiveMin ? `more than ${min} and at most` : `from ${min} to`} ${max}` })
      .refine((n) => (exclusiveMin ? n > min : n >= min) && n <= max, {
        error: (issue) => `${String(issue.input)} is out of range: expected ${exclusiveMin ? `more than ${min} and at most` : `${min} to`} ${max}`,
      }),
  );

/**
 * A named preset chosen per conversation: a system prompt, a model (group, alias, provider/model or
 * local model) and call parameters (the spec's names; see core/params). Listed, so the UI keeps
 * the user's order; names are unique ignoring case.
 */
const assistantSchema = z.strictObject({
  name: z.string({ error: 'expected a name' }).trim().min(1, 'expected a name').max(80, 'expected at most 80 characters'),
  model: z.string({ error: 'expected a model: a group, an alias, provider/model or a local model' }).trim().min(1, 'expected a model: a group, an alias, provider/model or a local model'),
  /** Sent first, as the system prompt; never shown as a message. */
  system: z.string().max(50_000, 'expected at most 50,000 characters').optional(),
  temperature: rangeLike(0, 2).optional(),
  topP: rangeLike(0, 1, true).optional(),
  topK: intLike(1).optional(),
  maxOutputTokens: intLike(1, 1_000_000).optional(),
  stop: z.array(z.string().min(1, 'expected a non-empty stop sequence')).max(16, 'expected at most 16 stop sequences').optional(),
  seed: intLike(Number.MIN_SAFE_INTEGER).optional(),
  frequencyPenalty: rangeLike(-2, 2).optional(),
  presencePenalty: rangeLike(-2, 2).optional(),
  reasoningEffort: z.enum(['low', 'medium', 'high'], { error: 'expected low, medium or high' }).optional(),
});
export type AssistantConfig = z.output<typeof assistantSchema>;

const autoOr = <T extends z.ZodType>(schema: T) => z.union([z.literal('auto'), schema], { error: 'expected auto or a value' });

/** What one model can set; each one left out takes the `engine:` default, then the engine's own. */
const modelEngineSettings = {
  threads: autoOr(intLike(1, 1024)).optional(),
  contextSize: autoOr(intLike(128)).optional(),
  gpuLayers: z.union([z.enum(['auto', 'max']), intLike(0, 10_000)], { error: 'expected auto, max or a number of layers' }).optional(),
  flashAttention: boolLike.optional(),
  /** Advanced: the KV cache's element type (keys and values). Block-quantized types need flash attention. */
  kvCacheType: z.enum(KV_CACHE_TYPES, { error: `expected one of ${KV_CACHE_TYPES.join(', ')}` }).optional(),
};

const engineSchema = z
  .strictObject({
    gpu: z
      .union([z.enum(['auto', 'cuda', 'metal', 'vulkan']), z.literal(false)], { error: 'expected auto, cuda, metal, vulkan or false' })
      .optional(),
    ...modelEngineSettings,
    /** The model pool's memory budget in MiB (RAM and VRAM together); auto: most of the memory free at start. */
    memoryBudgetMiB: autoOr(intLike(64)).optional(),
    /** Per-model overrides, by model id (`local/name` or `name`). */
    models: z.record(z.string().min(1, 'expected a model id'), z.strictObject(modelEngineSettings)).optional(),
  })
  .superRefine((engine, ctx) => {
    // llama.cpp quantizes the V cache only with flash attention; say so here rather than at load.
    const check = (settings: { kvCacheType?: string | undefined; flashAttention?: boolean | undefined }, path: (string | number)[]) => {
      const kv = settings.kvCacheType;
      if (kv !== undefined && kv.startsWith('q') && settings.flashAttention !== true) {
        ctx.addIssue({ code: 'custom', path, message: `kvCacheType ${kv} needs flashAttention: true (llama.cpp quantizes the cache only with flash attention)` });
      }
    };
    check(engine, ['kvCacheType']);
    for (const [id, model] of Object.entries(engine.models ?? {})) {
      check({ kvCacheType: model.kvCacheType ?? engine.kvCacheType, flashAttention: model.flashAttention ?? engine.flashAttention }, ['models', id, 'kvCacheType']);
    }
  });
export type EngineConfig = z.output<typeof engineSchema>;

export const configSchema = z
  .strictObject({
    providers: z.record(nameKey, providerSchema).default({}),
    groups: z.record(nameKey, groupSchema).default({}),
    /** Other names for a group or a `provider/model` ref: `{ smart: gpt-4o, cheap: openai/gpt-4o-mini }`. */
    aliases: z.record(nameKey, z.string().min(1, 'expected a group name or provider/model')).default({}),
    rules: z.array(ruleSchema).default([]),
    budgets: z.array(budgetSchema).default([]),
    router: routerSchema.default({}),
    cache: cacheSchema.default({}),
    engine: engineSchema.default({}),
    models: z.strictObject({ folders: z.array(z.string().min(1)).default([]) }).default({ folders: [] }),
    hub: z.strictObject({ url: httpUrl.optional() }).optional(),
    gateway: gatewaySchema.optional(),
    assistants: z.array(assistantSchema).default([]),
  })
  .superRefine((config, ctx) => {
    // Cross-references: what a group, rule or budget names must exist.
    const providers = new Set([LOCAL_PROVIDER, ...Object.keys(config.providers)]);
    const groups = new Set(Object.keys(config.groups));
    const list = (names: Iterable<string>) => [...names].join(', ') || 'none';
    for (const [name, provider] of Object.entries(config.providers)) {
      if (name === LOCAL_PROVIDER && provider.type !== 'local') {
        ctx.addIssue({ code: 'custom', path: ['providers', name, 'type'], message: '"local" is the built-in engine; its type must be local' });
      }
    }
    for (const [name, group] of Object.entries(config.groups)) {
      group.deployments.forEach((d, i) => {
        if (!providers.has(d.provider)) {
          ctx.addIssue({
            code: 'custom',
            path: ['groups', name, 'deployments', i, 'provider'],
            message: `unknown provider "${d.provider}"; configured: ${list(providers)}`,
          });
        }
      });
      for (const key of ['fallbacks', 'contextWindowFallbacks', 'contentPolicyFallbacks'] as const) {
        group[key]?.forEach((f, i) => {
          if (!groups.has(f)) {
            ctx.addIssue({ code: 'custom', path: ['groups', name, key, i], message: `unknown group "${f}"; groups: ${list(groups)}` });
          }
        });
      }
    }
    for (const [alias, target] of Object.entries(config.aliases)) {
      if (groups.has(alias)) {
        ctx.addIssue({ code: 'custom', path: ['aliases', alias], message: `"${alias}" is already a group; an alias needs a name of its own` });
      }
      const slash = target.indexOf('/');
      if (slash > 0 ? !providers.has(target.slice(0, slash)) : !groups.has(target)) {
        ctx.addIssue({
          code: 'custom',
          path: ['aliases', alias],
          message: slash > 0
            ? `unknown provider "${target.slice(0, slash)}" in "${target}"; configured: ${list(providers)}`
            : `unknown group "${target}"; groups: ${list(groups)} (or name a provider/model)`,
        });
      }
    }
    config.budgets.forEach((budget, i) => {
      if (budget.daily === undefined && budget.monthly === undefined) {
        ctx.addIssue({ code: 'custom', path: ['budgets', i], message: 'a budget needs a daily or a monthly limit in USD' });
      }
      const [kind, name] = [budget.scope.slice(0, budget.scope.indexOf(':')), budget.scope.slice(budget.scope.indexOf(':') + 1)];
      if (kind === 'provider' && !providers.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['budgets', i, 'scope'], message: `unknown provider "${name}"; configured: ${list(providers)}` });
      }
      if (kind === 'group' && !groups.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['budgets', i, 'scope'], message: `unknown group "${name}"; groups: ${list(groups)}` });
      }
    });
    config.cache.groups?.forEach((g, i) => {
      if (!groups.has(g) && !g.includes('/')) {
        ctx.addIssue({ code: 'custom', path: ['cache', 'groups', i], message: `unknown group "${g}"; groups: ${list(groups)} (or name a provider/model)` });
      }
    });
    // Assistants: unique names (ignoring case); a provider/model must name a configured provider.
    const assistantNames = new Map<string, number>();
    config.assistants.forEach((assistant, i) => {
      const key = assistant.name.toLowerCase();
      const first = assistantNames.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['assistants', i, 'name'], message: `another assistant (assistants[${first}]) is already named "${assistant.name}"; choose another name` });
      } else assistantNames.set(key, i);
      const slash = assistant.model.indexOf('/');
      if (slash > 0 && !providers.has(assistant.model.slice(0, slash))) {
        ctx.addIssue({ code: 'custom', path: ['assistants', i, 'model'], message: `unknown provider "${assistant.model.slice(0, slash)}" in "${assistant.model}"; configured: ${list(providers)}` });
      }
    });
    config.rules.forEach((rule, i) => {
      if (!groups.has(rule.use)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'use'], message: `unknown group "${rule.use}"; groups: ${list(groups)}` });
      }
    });
  });

export type SwitchboardConfig = z.output<typeof configSchema>;

/** The config of a data dir without a file: no providers but the built-in engine. */
export function emptyConfig(): SwitchboardConfig {
  return configSchema.parse({});
}
