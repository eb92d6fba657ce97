import type { LanguageModel } from '../../shared/llm';

/**
 * What every provider folder exports: a factory that owns connection settings (credentials,
 * base URL, or the local engine) and hands out models by id.
 */
export interface ProviderFactory {
  readonly provider: string;
  languageModel(modelId: string): LanguageModel;
}
