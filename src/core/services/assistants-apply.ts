import { type CallOptions, ProviderError } from '../../shared/llm';
import { type AssistantConfig, type SwitchboardConfig } from '../config';
import { type NormalizedCallSettings, normalizeCallParameters } from '../params';

/** The call parameters an assistant sets, as the spec's settings (penalties go to providerOptions, as core/params does). */
export function assistantCallSettings(assistant: AssistantConfig): NormalizedCallSettings {
  // The config schema has checked the ranges; normalization maps the names (reasoningEffort → reasoning.effort).
  return normalizeCallParameters({
    temperature: assistant.temperature,
    topP: assistant.topP,
    topK: assistant.topK,
    maxOutputTokens: assistant.maxOutputTokens,
    stop: assistant.stop,
    seed: assistant.seed,
    frequencyPenalty: assistant.frequencyPenalty,
    presencePenalty: assistant.presencePenalty,
    reasoningEffort: assistant.reasoningEffort,
  }).settings;
}

/** Explicit per-request values win; values a request leaves out are the assistant's. */
export function mergeCallSettings<T extends object>(fromAssistant: NormalizedCallSettings, explicit: T): NormalizedCallSettings & T {
  const given = Object.fromEntries(Object.entries(explicit).filter(([, value]) => value !== undefined)) as T;
  return { ...fromAssistant, ...given };
}

/** The assistant's system prompt first, then the request's own (when both are given). */
export function joinSystemPrompts(assistant: string | undefined, request: string | undefined): string | undefined {
  const parts = [assistant, request].filter((p): p is string => p !== undefined && p.trim() !== '');
  return parts.length === 0 ? undefined : parts.join('\n\n');
}

/** The assistant of that name (names are unique ignoring case), or undefined. */
export function findAssistant(assistants: readonly AssistantConfig[], name: string): AssistantConfig | undefined {
  const key = name.trim().toLowerCase();
  return assistants.find((a) => a.name.toLowerCase() === key);
}

/** How a gateway client names an assistant as its model: `assistant/Code reviewer`. */
export const ASSISTANT_MODEL_PREFIX = 'assistant/';

/**
 * A gateway request whose model is `assistant/<name>`: the assistant's model, its parameters under
 * the request's explicit ones, its prompt before the request's system prompt. Undefined for any
 * other model, or when a provider is itself named `assistant` (its refs win). An unknown name is
 * a `not_found` ProviderError listing the assistants, which each API answers as its 404.
 */
export function resolveAssistantModel(
  model: string,
  options: CallOptions,
  config: Pick<SwitchboardConfig, 'assistants' | 'providers'>,
): { model: string; options: CallOptions } | undefined {
  if (!model.startsWith(ASSISTANT_MODEL_PREFIX) || Object.hasOwn(config.providers, 'assistant')) return undefined;
  const name = model.slice(ASSISTANT_MODEL_PREFIX.length);
  const assistant = findAssistant(config.assistants, name);
  if (assistant === undefined) {
    const names = config.assistants.map((a) => a.name).join(', ') || 'none';
    throw new ProviderError({ kind: 'not_found', message: `no assistant named "${name}"; assistants: ${names}`, retryable: false });
  }
  const { system, ...rest } = options;
  return {
    model: assistant.model,
    options: { ...mergeCallSettings(assistantCallSettings(assistant), rest), system: joinSystemPrompts(assistant.system, system) },
  };
}
