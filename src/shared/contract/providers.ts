import { z } from 'zod';
import { providerErrorDataSchema } from '../llm';
import { route } from './route';

/** One configured provider as the UI may see it. The key never leaves core: at most `sk-…abcd`. */
export const providerInfoSchema = z.object({
  /** The config's name for it (`openai`, `claude`, `lab`); model refs start with it. */
  name: z.string(),
  /** Which adapter: openai, azure, anthropic, openrouter, deepseek, openai-compatible, ollama, local, mock. */
  type: z.string(),
  /** The built-in engine, always present. */
  builtIn: z.boolean(),
  baseURL: z.string().nullable(),
  keySet: z.boolean(),
  /** Where the key came from: the config file, or the vendor's environment variable. */
  keySource: z.enum(['config', 'env']).nullable(),
  /** The key's kind prefix and last four characters, e.g. `sk-…abcd`. */
  keyHint: z.string().nullable(),
  /** Why it cannot be used, when it cannot. */
  problem: z.string().nullable(),
});
export type ProviderInfo = z.infer<typeof providerInfoSchema>;

export const configIssueSchema = z.object({ path: z.string(), message: z.string() });

export const providersListSchema = z.object({
  providers: z.array(providerInfoSchema),
  config: z.object({
    path: z.string(),
    /** The last load's problems; the last good config stays in force meanwhile. */
    errors: z.array(configIssueSchema).nullable(),
  }),
});
export type ProvidersList = z.infer<typeof providersListSchema>;

export const providerTestResultSchema = z.object({
  name: z.string(),
  type: z.string(),
  ok: z.boolean(),
  latencyMs: z.number().nonnegative(),
  /** On success, what the cheap call found (`12 models`). */
  detail: z.string().nullable(),
  error: providerErrorDataSchema.nullable(),
});
export type ProviderTestResult = z.infer<typeof providerTestResultSchema>;

export const providersContract = {
  'providers.list': route({
    input: z.object({}).default({}),
    output: providersListSchema,
  }),
  /** A cheap call per provider (a model list, or a one-token completion): ok with latency, or the error kind. */
  'providers.test': route({
    input: z.object({ name: z.string().min(1).optional() }).default({}),
    output: z.array(providerTestResultSchema),
  }),
} as const;
