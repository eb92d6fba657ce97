/**
 * OpenRouter's live model list (`GET /api/v1/models`), parsed with zod. Prices arrive as strings
 * in USD per token; we keep USD per million. Unknown fields are tolerated; a malformed model is
 * skipped, not fatal.
 */
import { z } from 'zod';
import type { CallParameter, CatalogCapabilities, ModelPrices } from './types';

const perTokenPrice = z.union([z.string(), z.number()]).nullish();

export const openRouterModelSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  context_length: z.number().int().positive().nullish(),
  pricing: z
    .looseObject({
      prompt: perTokenPrice,
      completion: perTokenPrice,
      input_cache_read: perTokenPrice,
      input_cache_write: perTokenPrice,
      internal_reasoning: perTokenPrice,
    })
    .optional(),
  architecture: z
    .looseObject({
      input_modalities: z.array(z.string()).nullish(),
      output_modalities: z.array(z.string()).nullish(),
    })
    .nullish(),
  top_provider: z
    .looseObject({
      context_length: z.number().int().positive().nullish(),
      max_completion_tokens: z.number().int().positive().nullish(),
    })
    .nullish(),
  supported_parameters: z.array(z.string()).nullish(),
});

export type OpenRouterModel = z.infer<typeof openRouterModelSchema>;

export interface ParsedOpenRouterModels {
  models: OpenRouterModel[];
  /** Ids (or indexes) of entries that did not match the shape and were skipped. */
  skipped: string[];
}

/** Accepts the whole response (`{ data: [...] }`) or the bare array. Throws only when neither shape fits. */
export function parseOpenRouterModels(payload: unknown): ParsedOpenRouterModels {
  const list = z
    .union([z.looseObject({ data: z.array(z.unknown()) }).transform((r) => r.data), z.array(z.unknown())])
    .safeParse(payload);
  if (!list.success) throw new Error('OpenRouter model list: expected { data: [...] } or an array of models');
  const models: OpenRouterModel[] = [];
  const skipped: string[] = [];
  list.data.forEach((item, index) => {
    const parsed = openRouterModelSchema.safeParse(item);
    if (parsed.success) models.push(parsed.data);
    else {
      const id = typeof item === 'object' && item !== null && 'id' in item ? String(item.id) : `#${index}`;
      skipped.push(id);
    }
  });
  return { models, skipped };
}

/** USD per token (a decimal string) → USD per million tokens. Negative (OpenRouter's "-1" for variable) or blank → unknown. */
export function perTokenToPerMillion(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n < 0) return undefined;
  // Round away binary noise (0.0000025 * 1e6 = 2.4999999999999996).
  return Number((n * 1_000_000).toPrecision(12));
}

const PARAMETER_NAMES: Record<string, CallParameter> = {
  temperature: 'temperature',
  top_p: 'topP',
  top_k: 'topK',
  max_tokens: 'maxOutputTokens',
  stop: 'stop',
  seed: 'seed',
  frequency_penalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty',
  tools: 'tools',
  tool_choice: 'toolChoice',
  response_format: 'responseFormat',
  structured_outputs: 'responseFormat',
  reasoning: 'reasoning',
  include_reasoning: 'reasoning',
};

export interface OpenRouterEntryData {
  displayName?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  prices?: ModelPrices;
  capabilities: CatalogCapabilities;
  supportedParameters?: CallParameter[];
}

export function convertOpenRouterModel(model: OpenRouterModel): OpenRouterEntryData {
  const prices: ModelPrices = {};
  const p = model.pricing;
  if (p) {
    const set = (key: keyof ModelPrices & string, v: string | number | null | undefined): void => {
      const price = perTokenToPerMillion(v);
      if (price !== undefined) (prices as Record<string, number>)[key] = price;
    };
    set('input', p.prompt);
    set('output', p.completion);
    set('cacheRead', p.input_cache_read);
    set('cacheWrite', p.input_cache_write);
    // OpenRouter lists internal_reasoning "0" for models that bill reasoning as output; only a
    // positive figure is a separate reasoning price.
    const reasoning = perTokenToPerMillion(p.internal_reasoning);
    if (reasoning !== undefined && reasoning > 0) prices.reasoning = reasoning;
  }
  const params = model.supported_parameters ?? undefined;
  const supported = params
    ? [...new Set(params.map((name) => PARAMETER_NAMES[name]).filter((x): x is CallParameter => x !== undefined))]
    : undefined;
  const inputs = model.architecture?.input_modalities ?? undefined;
  const capabilities: CatalogCapabilities = {};
  if (inputs) capabilities.vision = inputs.includes('image');
  if (params) {
    capabilities.tools = params.includes('tools');
    capabilities.reasoning = params.includes('reasoning') || params.includes('include_reasoning');
    capabilities.json = params.includes('response_format') || params.includes('structured_outputs');
    capabilities.jsonSchema = params.includes('structured_outputs');
  }
  const contextWindow = model.context_length ?? model.top_provider?.context_length ?? undefined;
  const maxOutput = model.top_provider?.max_completion_tokens ?? undefined;
  return {
    ...(model.name !== undefined && { displayName: model.name }),
    ...(contextWindow !== undefined && { contextWindow }),
    ...(maxOutput !== undefined && { maxOutputTokens: maxOutput }),
    ...(Object.keys(prices).length > 0 && { prices }),
    capabilities,
    ...(supported !== undefined && { supportedParameters: supported }),
  };
}
