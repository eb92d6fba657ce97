import type { ModelCapabilities } from '../../shared/llm';
import type { CatalogEntry } from './types';

/**
 * The spec's `ModelCapabilities` from a catalog entry, for a provider factory's `capabilities`
 * setting. Only what the catalog knows is set; the factory keeps its defaults for the rest.
 */
export function entryCapabilities(entry: CatalogEntry): Partial<ModelCapabilities> {
  const { vision, tools, reasoning, json } = entry.capabilities;
  return {
    ...(vision !== undefined && { vision }),
    ...(tools !== undefined && { tools }),
    ...(reasoning !== undefined && { reasoning }),
    ...(json !== undefined && { json }),
    ...(entry.contextWindow !== undefined && { contextWindow: entry.contextWindow }),
  };
}
