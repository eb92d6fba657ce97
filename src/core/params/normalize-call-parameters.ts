/**
 * Parameter normalization: the names people and tools use (`temp`, `nucleus_sampling`,
 * `max_new_tokens`, `num_ctx`…) mapped to the spec's CallSettings, range-checked, and checked
 * against the model's catalog entry. A parameter the model does not take is dropped with an
 * `unsupported` warning, never silently.
 */
import type { CallSettings, CallWarning } from '../../shared/llm';
import type { CallParameter, CatalogEntry, NumericRange, RangedParameter } from '../catalog';

/** The parameters of a call that normalization produces (messages, tools etc. travel separately). */
export type NormalizedCallSettings = Pick<
  CallSettings,
  'temperature' | 'topP' | 'topK' | 'maxOutputTokens' | 'stop' | 'seed' | 'reasoning' | 'providerOptions'
>;

/** Options for loading a local model rather than for one call. */
export interface NormalizedLoadOptions {
  contextSize?: number;
}

export interface NormalizedCallParameters {
  settings: NormalizedCallSettings;
  load: NormalizedLoadOptions;
  warnings: CallWarning[];
}

type Target = CallParameter | 'contextSize' | 'reasoningEffort' | 'reasoningBudget';

/** The catalog parameter a target is checked against. */
const catalogParameter = (t: Target): CallParameter | undefined =>
  t === 'contextSize' ? undefined : t === 'reasoningEffort' || t === 'reasoningBudget' ? 'reasoning' : t;

const REASONING_EFFORTS = ['low', 'medium', 'high'] as const;

/** Every accepted name → the spec's name. */
export const PARAMETER_ALIASES: Readonly<Record<string, Target>> = {
  temp: 'temperature',
  temperature: 'temperature',
  nucleus_sampling: 'topP',
  top_p: 'topP',
  topP: 'topP',
  top_k: 'topK',
  topK: 'topK',
  max_length: 'maxOutputTokens',
  max_tokens: 'maxOutputTokens',
  max_new_tokens: 'maxOutputTokens',
  max_completion_tokens: 'maxOutputTokens',
  num_predict: 'maxOutputTokens',
  maxOutputTokens: 'maxOutputTokens',
  maxTokens: 'maxOutputTokens',
  context_length: 'contextSize',
  ctx_size: 'contextSize',
  num_ctx: 'contextSize',
  n_ctx: 'contextSize',
  contextSize: 'contextSize',
  stop_sequences: 'stop',
  stop: 'stop',
  stopSequences: 'stop',
  seed: 'seed',
  frequency_penalty: 'frequencyPenalty',
  frequencyPenalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty',
  presencePenalty: 'presencePenalty',
  reasoning_effort: 'reasoningEffort',
  reasoningEffort: 'reasoningEffort',
  thinking_budget: 'reasoningBudget',
  budget_tokens: 'reasoningBudget',
  reasoning_budget: 'reasoningBudget',
};

/** The spec's ranges; a catalog entry may narrow them (Anthropic: temperature 0 to 1). */
export const DEFAULT_RANGES: Readonly<Record<RangedParameter, NumericRange>> = {
  temperature: { min: 0, max: 2 },
  topP: { min: 0, max: 1 },
  topK: { min: 1, max: Number.MAX_SAFE_INTEGER },
  frequencyPenalty: { min: -2, max: 2 },
  presencePenalty: { min: -2, max: 2 },
};

/** The spec caps stop sequences at 16 (OpenAI takes 4, Anthropic more). */
const MAX_STOP_SEQUENCES = 16;

export class ParameterError extends Error {
  override readonly name = 'ParameterError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function toNumber(name: string, value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new ParameterError(name, `${name} ${show(value)} is not a number`);
  }
  return n;
}

function toInteger(name: string, value: unknown): number {
  const n = toNumber(name, value);
  if (!Number.isInteger(n)) throw new ParameterError(name, `${name} ${show(value)} is not an integer`);
  return n;
}

function checkRange(name: string, n: number, range: NumericRange, exclusiveMin = false): number {
  const below = exclusiveMin ? n <= range.min : n < range.min;
  if (below || n > range.max) {
    const open = range.max === Number.MAX_SAFE_INTEGER;
    const expected = exclusiveMin
      ? `more than ${range.min}${open ? '' : ` and at most ${range.max}`}`
      : `${range.min} ${open ? 'or more' : `to ${range.max}`}`;
    throw new ParameterError(name, `${name} ${n} is out of range: expected ${expected}`);
  }
  return n;
}

function toStop(name: string, value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((s): s is string => typeof s === 'string' && s.length > 0)) {
    throw new ParameterError(name, `${name} must be a non-empty string or a list of non-empty strings`);
  }
  if (list.length > MAX_STOP_SEQUENCES) {
    throw new ParameterError(name, `${name} has ${list.length} sequences: expected at most ${MAX_STOP_SEQUENCES}`);
  }
  return list;
}

export function normalizeCallParameters(raw: Record<string, unknown>, entry?: CatalogEntry): NormalizedCallParameters {
  const warnings: CallWarning[] = [];
  // Group by spec name, so two aliases of one parameter are caught.
  const given = new Map<Target, { name: string; value: unknown }[]>();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    const target = PARAMETER_ALIASES[name];
    if (!target) {
      warnings.push({ type: 'unsupported', feature: name, details: `unknown parameter ${name}; it was not sent` });
      continue;
    }
    given.set(target, [...(given.get(target) ?? []), { name, value }]);
  }

  const ranges = (p: RangedParameter): NumericRange => entry?.parameterRanges?.[p] ?? DEFAULT_RANGES[p];
  const settings: NormalizedCallSettings = {};
  const load: NormalizedLoadOptions = {};
  const penalties: Record<string, number> = {};
  const modelName = entry ? `${entry.provider}/${entry.modelId}` : undefined;

  for (const [target, values] of given) {
    const first = values[0] as { name: string; value: unknown };
    const distinct = new Set(values.map((v) => JSON.stringify(v.value)));
    if (distinct.size > 1) {
      const listed = values.map((v) => `${v.name}: ${show(v.value)}`).join(', ');
      throw new ParameterError(first.name, `${target} is given twice with different values (${listed})`);
    }
    const { name, value } = first;

    const checked = catalogParameter(target);
    if (checked && entry?.supportedParameters && !entry.supportedParameters.includes(checked)) {
      warnings.push({
        type: 'unsupported',
        feature: checked,
        details: `${modelName} does not support ${name}; it was not sent`,
      });
      continue;
    }

    switch (target) {
      case 'temperature':
        settings.temperature = checkRange(name, toNumber(name, value), ranges('temperature'));
        break;
      case 'topP':
        settings.topP = checkRange(name, toNumber(name, value), ranges('topP'), true);
        break;
      case 'topK':
        settings.topK = checkRange(name, toInteger(name, value), ranges('topK'));
        break;
      case 'maxOutputTokens': {
        const max = entry?.maxOutputTokens ?? Number.MAX_SAFE_INTEGER;
        settings.maxOutputTokens = checkRange(name, toInteger(name, value), { min: 1, max });
        break;
      }
      case 'contextSize': {
        const max = entry?.contextWindow ?? Number.MAX_SAFE_INTEGER;
        load.contextSize = checkRange(name, toInteger(name, value), { min: 1, max });
        break;
      }
      case 'stop':
        settings.stop = toStop(name, value);
        break;
      case 'seed':
        settings.seed = toInteger(name, value);
        break;
      case 'frequencyPenalty':
        penalties.frequency_penalty = checkRange(name, toNumber(name, value), ranges('frequencyPenalty'));
        break;
      case 'presencePenalty':
        penalties.presence_penalty = checkRange(name, toNumber(name, value), ranges('presencePenalty'));
        break;
      case 'reasoningEffort': {
        const effort = REASONING_EFFORTS.find((e) => e === value);
        if (!effort) throw new ParameterError(name, `${name} ${show(value)} is not one of ${REASONING_EFFORTS.join(', ')}`);
        settings.reasoning = { ...settings.reasoning, effort };
        break;
      }
      case 'reasoningBudget':
        settings.reasoning = {
          ...settings.reasoning,
          budgetTokens: checkRange(name, toInteger(name, value), { min: 1, max: Number.MAX_SAFE_INTEGER }),
        };
        break;
      default:
        // tools, toolChoice and responseFormat have no aliases: they never reach here.
        break;
    }
  }

  if (Object.keys(penalties).length > 0) {
    // Penalties are vendor options; they are namespaced by the provider that will receive them.
    settings.providerOptions = { [entry?.provider ?? 'openai']: penalties };
  }
  return { settings, load, warnings };
}
