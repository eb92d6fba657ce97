export { createAzureOpenAI, type AzureOpenAIProvider, type AzureOpenAISettings } from './create-azure-openai';
export {
  createOpenRouter,
  OPENROUTER_BASE_URL,
  type OpenRouterCredits,
  type OpenRouterModelInfo,
  type OpenRouterProvider,
  type OpenRouterSettings,
} from './create-openrouter';
export { createDeepSeek, DEEPSEEK_BASE_URL, type DeepSeekProvider, type DeepSeekSettings } from './create-deepseek';
export { createOpenAICompatible, type OpenAICompatibleSettings } from './create-openai-compatible';
export { convertDeepSeekUsage } from './convert-deepseek-usage';
export { type PresetSettings } from './preset-settings';
