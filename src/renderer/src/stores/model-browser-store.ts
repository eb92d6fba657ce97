import { createStore } from 'zustand/vanilla';

export type LocationFilter = 'all' | 'local' | 'cloud';
export type CapabilityFilter = 'any' | 'vision' | 'tools' | 'reasoning';
export type SortKey = 'name' | 'provider' | 'context' | 'price' | 'size';

export interface BrowseFilters {
  /** Words that must all appear in the model's name, ref, provider, architecture or quantization. */
  query: string;
  /** One provider's models, or every provider's (null). */
  provider: string | null;
  /** Only models the catalog says can do this; unknown is not yes. */
  capability: CapabilityFilter;
  /** `local`: runs on this machine (GGUF files, Ollama); `cloud`: everything else. */
  location: LocationFilter;
  sort: SortKey;
}

export const DEFAULT_FILTERS: BrowseFilters = { query: '', provider: null, capability: 'any', location: 'all', sort: 'name' };

export interface ModelBrowserState {
  /** The Models page's search, filters and sort; kept here so they survive leaving the page. */
  filters: BrowseFilters;
  setFilters(patch: Partial<BrowseFilters>): void;
  /** Clears the filters; the sort is a preference, not a filter, and stays. */
  resetFilters(): void;
}

export function createModelBrowserStore() {
  return createStore<ModelBrowserState>()((set, get) => ({
    filters: DEFAULT_FILTERS,
    setFilters(patch) {
      set({ filters: { ...get().filters, ...patch } });
    },
    resetFilters() {
      set({ filters: { ...DEFAULT_FILTERS, sort: get().filters.sort } });
    },
  }));
}

export type ModelBrowserStore = ReturnType<typeof createModelBrowserStore>;
