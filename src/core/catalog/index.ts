export * from './types';
export { createCatalog, bundledOverrides, stripDateSuffix, type CreateCatalogOptions } from './create-catalog';
export { computeCost, providerReportedCost } from './compute-cost';
export { parseCatalogOverrides, catalogOverridesSchema, type CatalogOverrides, type OverrideRule } from './overrides-schema';
export { parseOpenRouterModels, perTokenToPerMillion, type OpenRouterModel } from './openrouter-models';
export { entryCapabilities } from './entry-capabilities';
