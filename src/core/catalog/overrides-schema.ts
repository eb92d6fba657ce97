import { z } from 'zod';
import { CALL_PARAMETERS } from './types';

const price = z.number().nonnegative();
const tokenPricesSchema = z.strictObject({
  input: price.optional(),
  output: price.optional(),
  cacheRead: price.optional(),
  cacheWrite: price.optional(),
  reasoning: price.optional(),
});
const modelPricesSchema = tokenPricesSchema.extend({
  tiers: z
    .array(z.strictObject({ aboveInputTokens: z.number().int().positive(), prices: tokenPricesSchema }))
    .optional(),
});
const capabilitiesSchema = z.strictObject({
  vision: z.boolean().optional(),
  tools: z.boolean().optional(),
  reasoning: z.boolean().optional(),
  json: z.boolean().optional(),
  jsonSchema: z.boolean().optional(),
});
const transformsSchema = z.strictObject({
  maxOutputTokensField: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
  systemMessageRole: z.enum(['system', 'developer']).optional(),
});
const rangeSchema = z
  .strictObject({ min: z.number(), max: z.number() })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });
const parameterRangesSchema = z.strictObject({
  temperature: rangeSchema.optional(),
  topP: rangeSchema.optional(),
  topK: rangeSchema.optional(),
  frequencyPenalty: rangeSchema.optional(),
  presencePenalty: rangeSchema.optional(),
});
const parameterList = z.array(z.enum(CALL_PARAMETERS));

const isRegex = (source: string): boolean => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};

/** One rule: an exact model (`id`, with `aliases`) or a family (`pattern`, a regex over canonical ids). */
export const overrideRuleSchema = z
  .strictObject({
    provider: z.string().min(1),
    id: z.string().min(1).optional(),
    pattern: z.string().min(1).refine(isRegex, { message: 'expected a valid regular expression' }).optional(),
    aliases: z.array(z.string().min(1)).optional(),
    displayName: z.string().optional(),
    contextWindow: z.number().int().positive().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    prices: modelPricesSchema.optional(),
    capabilities: capabilitiesSchema.optional(),
    /** Replaces the supported list. */
    supportedParameters: parameterList.optional(),
    /** Adds to the supported list. */
    addParameters: parameterList.optional(),
    /** Removes from the supported list. */
    unsupportedParameters: parameterList.optional(),
    parameterRanges: parameterRangesSchema.optional(),
    transforms: transformsSchema.optional(),
    deprecated: z.boolean().optional(),
  })
  .refine((r) => (r.id === undefined) !== (r.pattern === undefined), {
    message: 'a rule needs exactly one of id or pattern',
  });

export const providerDefaultsSchema = z.strictObject({
  /** The @pydantic/genai-prices provider id whose data this provider uses. */
  packageProvider: z.string().optional(),
  /** Also apply the model rules written for these providers (Azure serves OpenAI's models). */
  rulesFrom: z.array(z.string()).optional(),
  /** Runs on this machine: every model costs 0. */
  local: z.boolean().optional(),
  supportedParameters: parameterList.optional(),
  capabilities: capabilitiesSchema.optional(),
  parameterRanges: parameterRangesSchema.optional(),
  transforms: transformsSchema.optional(),
});

export const catalogOverridesSchema = z.looseObject({
  providers: z.record(z.string(), providerDefaultsSchema).default({}),
  models: z.array(overrideRuleSchema).default([]),
});

export type OverrideRule = z.infer<typeof overrideRuleSchema>;
export type ProviderDefaults = z.infer<typeof providerDefaultsSchema>;
export type CatalogOverrides = z.infer<typeof catalogOverridesSchema>;

/** Validates an overrides document; the error names the path (`models.3.pattern: …`). */
export function parseCatalogOverrides(data: unknown): CatalogOverrides {
  const result = catalogOverridesSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`catalog overrides are invalid: ${issues.join('; ')}`);
  }
  return result.data;
}
