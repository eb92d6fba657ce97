import { z } from 'zod';
import { providerErrorDataSchema } from '../llm';
import { localModelEntrySchema } from './local-model';

/** What the catalog (or the provider's live list) says a model can do; null when unknown. */
export const selectableModelCapabilitiesSchema = z.object({
  vision: z.boolean().nullable(),
  tools: z.boolean().nullable(),
  reasoning: z.boolean().nullable(),
});
export type SelectableModelCapabilities = z.infer<typeof selectableModelCapabilitiesSchema>;

/** USD per million tokens; null when unknown (never read as free). */
export const selectableModelPricesSchema = z.object({
  input: z.number().nonnegative().nullable(),
  output: z.number().nonnegative().nullable(),
});

/**
 * One model the user can pick: a local GGUF file, a model a configured provider listed, one the
 * catalog knows for that provider's type, or what the mock offers.
 */
export const selectableModelSchema = z.object({
  /** What chat.send takes: `local/tiny`, `openai/gpt-4o-mini`, `router/openai/gpt-4o-mini`. */
  ref: z.string(),
  /** The configured provider's name (`local`, `openai`, `claude`). */
  provider: z.string(),
  /** Its adapter type (`local`, `openai`, `anthropic`, `ollama`, `mock`, …). */
  providerType: z.string(),
  /** The id at the provider (`gpt-4o-mini`). */
  modelId: z.string(),
  displayName: z.string(),
  /** Where it was found: a local file, the provider's live list, the catalog, or the mock's offer. */
  source: z.enum(['local', 'live', 'catalog', 'offered']),
  contextWindow: z.number().int().positive().nullable(),
  maxOutputTokens: z.number().int().positive().nullable(),
  prices: selectableModelPricesSchema.nullable(),
  capabilities: selectableModelCapabilitiesSchema,
  /** Runs on this machine (the engine, Ollama, the mock): costs nothing. */
  runsLocally: z.boolean(),
  /** Why it cannot be used, when it cannot. */
  error: z.string().nullable(),
  /** The file's details, for local models. */
  file: localModelEntrySchema.nullable(),
});
export type SelectableModel = z.infer<typeof selectableModelSchema>;

/** One provider's models: `local` first, then the configured providers in config order. */
export const providerModelsSchema = z.object({
  provider: z.string(),
  providerType: z.string(),
  builtIn: z.boolean(),
  /** How its models were found: `live` (its model list), `catalog`, `offered` (mock), `local` (files), or `none`. */
  source: z.enum(['local', 'live', 'catalog', 'offered', 'none']),
  models: z.array(selectableModelSchema),
  /** Why its list is missing or incomplete (listing failed, timed out, the provider can't be used). */
  error: providerErrorDataSchema.nullable(),
  /** How long listing took, when it was listed live. */
  latencyMs: z.number().nonnegative().nullable(),
});
export type ProviderModels = z.infer<typeof providerModelsSchema>;

export const modelsListSchema = z.object({
  providers: z.array(providerModelsSchema),
});
export type ModelsList = z.infer<typeof modelsListSchema>;
