import type { LanguageModel } from '../../../shared/llm';
import { type OpenAIProvider, createOpenAI } from '../openai/create-openai';
import { convertDeepSeekUsage } from './convert-deepseek-usage';
import { type PresetSettings, commonSettings } from './preset-settings';
import { wrapLanguageModel } from './wrap-language-model';

export const DEEPSEEK_BASE_URL = 'https://api.deepseek.com';

export interface DeepSeekSettings extends PresetSettings {
  /** Falls back to DEEPSEEK_API_KEY. */
  apiKey?: string;
  /** Default https://api.deepseek.com. */
  baseURL?: string;
}

export interface DeepSeekProvider extends Omit<OpenAIProvider, 'languageModel' | 'chat'> {
  languageModel(modelId: string): LanguageModel;
  chat(modelId: string): LanguageModel;
}

/** `deepseek-reasoner` thinks (reasoning_content); `deepseek-chat` does not. */
const isReasoner = (modelId: string) => /reasoner|-r1/i.test(modelId);

/**
 * DeepSeek over the OpenAI adapter: its base URL, `reasoning_content` deltas as reasoning parts,
 * and its cache-hit usage fields as cacheRead / noCache.
 */
export function createDeepSeek(settings: DeepSeekSettings = {}): DeepSeekProvider {
  const provider = settings.provider ?? 'deepseek';
  const inner = createOpenAI({
    ...commonSettings(settings),
    provider,
    baseURL: settings.baseURL ?? DEEPSEEK_BASE_URL,
    ...(settings.apiKey !== undefined ? { apiKey: settings.apiKey } : {}),
    apiKeyEnvVar: 'DEEPSEEK_API_KEY',
    compat: { reasoningContentField: 'reasoning_content', supportsStructuredOutputs: false, isReasoningModel: () => false },
    capabilities: (modelId) => ({ reasoning: isReasoner(modelId), vision: false, tools: true, json: true }),
  });
  const languageModel = (modelId: string): LanguageModel =>
    wrapLanguageModel(inner.languageModel(modelId), {
      transformPart: (part) => (part.type === 'finish' ? { ...part, usage: convertDeepSeekUsage(part.usage) } : part),
    });
  return { ...inner, languageModel, chat: languageModel };
}
