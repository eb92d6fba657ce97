export {
  createProviderRegistry,
  parseModelRef,
  RegistryError,
  type CostOf,
  type LocalModels,
  type ProviderRegistry,
  type ProviderRegistryOptions,
  type ProviderTestResult,
  type RegisteredProvider,
  type ResolvedModel,
} from './provider-registry';
export { defaultBuilders, KEY_ENV_VARS, MOCK_MODEL_ID, NON_CHAT_MODEL, type BuiltProvider, type ListedModel, type ModelLister, type ProviderBuilders } from './provider-builders';
export { maskKey } from './mask-key';
export { probeByCompletion } from './probe';
