export { createAnthropic, type AnthropicProvider, type AnthropicProviderSettings } from './create-anthropic';
export { AnthropicMessagesModel, anthropicProviderOptionsSchema, type AnthropicProviderOptions } from './anthropic-messages-model';
export { convertToAnthropicMessages } from './convert-to-anthropic-messages';
export { convertAnthropicUsage } from './convert-anthropic-usage';
export { mapAnthropicStopReason } from './map-anthropic-stop-reason';
export { mapAnthropicError, parseRetryAfter } from './anthropic-error';
export { prepareAnthropicTools } from './prepare-anthropic-tools';
export { anthropicThinkingModeFor, prepareAnthropicThinking } from './prepare-anthropic-thinking';
