import { createStore } from 'zustand/vanilla';
import type { HubInspection, HubRepo } from '../../../shared/contract';
import type { ContractClient } from '../ipc';
import { type LoadStatus, describeError } from './loadable';

export type HubSort = 'downloads' | 'likes' | 'updated';

export interface InspectionEntry {
  status: 'loading' | 'ready' | 'error';
  data: HubInspection | null;
  error: string | null;
}

export interface HubState {
  query: string;
  sort: HubSort;
  status: LoadStatus;
  error: string | null;
  /** The hub that answered the last search (a local test server, a mirror, or huggingface.co). */
  hubUrl: string | null;
  /** The query the shown results are for (null before the first search). */
  searched: string | null;
  repos: HubRepo[];
  /** Header reads (`hub.inspect`) by `repo/file`, asked for one file at a time. */
  inspections: Record<string, InspectionEntry>;
  setQuery(query: string): void;
  setSort(sort: HubSort): void;
  search(): Promise<void>;
  inspect(repo: string, file: string): Promise<void>;
}

export const inspectionKey = (repo: string, file: string) => `${repo}/${file}`;

/** Hugging Face search: GGUF repos with their quant files, sizes and a fit badge, through the host. */
export function createHubStore(deps: { client: ContractClient }) {
  let generation = 0;

  return createStore<HubState>()((set, get) => ({
    query: '',
    sort: 'downloads',
    status: 'idle',
    error: null,
    hubUrl: null,
    searched: null,
    repos: [],
    inspections: {},

    setQuery(query) {
      set({ query });
    },
    setSort(sort) {
      set({ sort });
    },

    async search() {
      const mine = ++generation;
      const query = get().query.trim();
      set({ status: 'loading', error: null });
      const result = await deps.client.request('hub.search', { query, limit: 20, sort: get().sort });
      // a newer search started meanwhile: its answer wins, whichever comes back first
      if (mine !== generation) return;
      if (!result.ok) {
        set({ status: 'error', error: describeError(result.error) });
        return;
      }
      set({ status: 'ready', hubUrl: result.data.hubUrl, repos: result.data.repos, searched: query });
    },

    async inspect(repo, file) {
      const key = inspectionKey(repo, file);
      if (get().inspections[key]?.status === 'loading') return;
      set({ inspections: { ...get().inspections, [key]: { status: 'loading', data: null, error: null } } });
      const result = await deps.client.request('hub.inspect', { repo, file });
      const entry: InspectionEntry = result.ok
        ? { status: 'ready', data: result.data, error: null }
        : { status: 'error', data: null, error: describeError(result.error) };
      set({ inspections: { ...get().inspections, [key]: entry } });
    },
  }));
}

export type HubStore = ReturnType<typeof createHubStore>;
