export { dataDirLayout, defaultDataDir, APP_DIR_NAME } from './data-dir';
export {
  configSchema,
  emptyConfig,
  LOCAL_PROVIDER,
  PROVIDER_TYPES,
  ROUTING_STRATEGIES,
  type ProviderConfig,
  type ProviderConfigOf,
  type ProviderType,
  type SwitchboardConfig,
  type AssistantConfig,
} from './config-schema';
export { type ConfigIssue, formatIssues, formatPath } from './config-issue';
export { type ConfigLoad, type LoadConfigOptions, loadConfig, parseConfigText } from './load-config';
export { type ConfigWatcher, type WatchConfigOptions, watchConfig } from './watch-config';
export { resolveConfigPath } from './resolve-config-path';
export { type ConfigEdit, type ConfigEditResult, ConfigEditError, applyConfigEdit, editConfigFile, findInSeq, literalText, readReferences, setFields } from './write-config';
