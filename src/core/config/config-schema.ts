import { z } from 'zod';
import { providerErrorKindSchema, unifiedFinishReasonSchema } from '../../shared/llm';

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
    error: (issue) =>
      issue.code === 'invalid_union' ? `expected one of ${PROVIDER_TYPES.join(', ')}` : undefined,
  },
);

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
});

const ruleSchema = z.strictObject({
  when: z.strictObject({
    tag: z.string().optional(),
    model: z.string().optional(),
    client: z.string().optional(),
  }),
  use: nameKey,
});

const budgetSchema = z.strictObject({
  scope: z
    .string()
    .regex(/^(global|(provider|group|model):.+)$/, 'expected global, provider:NAME, group:NAME or model:ID'),
  daily: numberLike(0).optional(),
  monthly: numberLike(0).optional(),
  onExceeded: z.enum(['block', 'warn', 'fallback-local'], { error: 'expected block, warn or fallback-local' }).optional(),
});

const autoOr = <T extends z.ZodType>(schema: T) => z.union([z.literal('auto'), schema], { error: 'expected auto or a value' });

const engineSchema = z.strictObject({
  gpu: z
    .union([z.enum(['auto', 'cuda', 'metal', 'vulkan']), z.literal(false)], { error: 'expected auto, cuda, metal, vulkan or false' })
    .optional(),
  threads: autoOr(intLike(1, 1024)).optional(),
  contextSize: autoOr(intLike(128)).optional(),
  gpuLayers: z.union([z.enum(['auto', 'max']), intLike(0, 10_000)], { error: 'expected auto, max or a number of layers' }).optional(),
  flashAttention: boolLike.optional(),
});

export const configSchema = z
  .strictObject({
    providers: z.record(nameKey, providerSchema).default({}),
    groups: z.record(nameKey, groupSchema).default({}),
    rules: z.array(ruleSchema).default([]),
    budgets: z.array(budgetSchema).default([]),
    engine: engineSchema.default({}),
    models: z.strictObject({ folders: z.array(z.string().min(1)).default([]) }).default({ folders: [] }),
    hub: z.strictObject({ url: httpUrl.optional() }).optional(),
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
      group.fallbacks?.forEach((f, i) => {
        if (!groups.has(f)) {
          ctx.addIssue({ code: 'custom', path: ['groups', name, 'fallbacks', i], message: `unknown group "${f}"; groups: ${list(groups)}` });
        }
      });
    }
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
