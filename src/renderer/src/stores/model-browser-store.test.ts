import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, createModelBrowserStore } from './model-browser-store';

describe('model browser store', () => {
  it('patches filters and resets them, keeping the sort', () => {
    const store = createModelBrowserStore();
    expect(store.getState().filters).toEqual(DEFAULT_FILTERS);
    store.getState().setFilters({ query: 'qwen', location: 'local' });
    store.getState().setFilters({ sort: 'size' });
    expect(store.getState().filters).toEqual({ ...DEFAULT_FILTERS, query: 'qwen', location: 'local', sort: 'size' });
    store.getState().resetFilters();
    expect(store.getState().filters).toEqual({ ...DEFAULT_FILTERS, sort: 'size' });
  });
});
