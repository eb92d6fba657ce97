export { createOllama, DEFAULT_OLLAMA_BASE_URL, type OllamaProvider, type OllamaProviderSettings } from './create-ollama';
export { OllamaChatModel, type OllamaConnection } from './ollama-chat-model';
export { OllamaEmbeddingModel } from './ollama-embedding-model';
export type { OllamaModelDetails, OllamaModelInfo, OllamaModelSummary, OllamaPullProgress, OllamaRunningModel } from './convert-ollama-models';
export { convertToOllamaMessages } from './convert-to-ollama-messages';
export { prepareOllamaRequest, ollamaProviderOptionsSchema, type OllamaProviderOptions } from './prepare-ollama-request';
export { mapOllamaDoneReason } from './map-ollama-done-reason';
export { convertOllamaUsage } from './convert-ollama-usage';
export { mapOllamaError, parseRetryAfter } from './ollama-error';
