export { LocalLanguageModel, type LocalLanguageModelOptions } from './local-language-model';
export { convertToEngineRequest } from './convert-to-engine-request';
export { convertEngineUsage } from './convert-engine-usage';
export { mapEngineFinishReason } from './map-engine-finish-reason';
export { LocalEmbeddingModel, type LocalEmbeddingModelOptions } from './local-embedding-model';
