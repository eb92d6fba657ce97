import { createStore } from 'zustand/vanilla';
import type { ConversationSearchHit } from '../../../shared/contract';
import type { ConversationSummary } from '../../../shared/domain';
import type { ContractClient } from '../ipc';
import { type LoadStatus, describeError } from './loadable';

export interface ConversationsState {
  /** Most recently updated first. */
  items: ConversationSummary[];
  status: LoadStatus;
  error: string | null;
  refresh(): Promise<void>;
  /** Shows a conversation the moment a send starts it, before the list is fetched again. */
  upsert(summary: ConversationSummary): void;
  /** The search box's text; '' shows the whole list. */
  query: string;
  /** Hits for `query` (title or message text), or null while there is no query (or no answer yet). */
  results: ConversationSearchHit[] | null;
  searchError: string | null;
  /** Searches titles and message text; an empty query goes back to the list. */
  search(query: string): Promise<void>;
}

const byRecent = (a: ConversationSummary, b: ConversationSummary) => b.updatedAt - a.updatedAt;

export function createConversationsStore(deps: { client: ContractClient }) {
  let generation = 0;
  let searches = 0;

  return createStore<ConversationsState>()((set, get) => ({
    items: [],
    status: 'idle',
    error: null,

    async refresh() {
      const mine = ++generation;
      set({ status: 'loading' });
      const result = await deps.client.request('conversations.list', {});
      if (mine !== generation) return; // a newer refresh answers instead
      if (!result.ok) {
        set({ status: 'error', error: describeError(result.error) });
        return;
      }
      set({ items: [...result.data].sort(byRecent), status: 'ready', error: null });
    },

    query: '',
    results: null,
    searchError: null,

    async search(query) {
      const mine = ++searches;
      set({ query });
      if (query.trim() === '') {
        set({ results: null, searchError: null });
        return;
      }
      const result = await deps.client.request('conversations.search', { query: query.trim() });
      if (mine !== searches || get().query !== query) return; // typed on meanwhile
      if (!result.ok) set({ searchError: describeError(result.error) });
      else set({ results: result.data, searchError: null });
    },

    upsert(summary) {
      set((state) => {
        const existing = state.items.find((c) => c.id === summary.id);
        const merged = existing ? { ...existing, updatedAt: summary.updatedAt, model: summary.model ?? existing.model } : summary;
        return { items: [merged, ...state.items.filter((c) => c.id !== summary.id)].sort(byRecent) };
      });
    },
  }));
}

export type ConversationsStore = ReturnType<typeof createConversationsStore>;
