import { createStore } from 'zustand/vanilla';
import type { LocalModelEntry } from '../../../shared/domain';
import type { ContractClient } from '../ipc';
import { type LoadStatus, describeError } from './loadable';

export interface ModelsState {
  items: LocalModelEntry[];
  status: LoadStatus;
  error: string | null;
  /** The model new messages go to; only ever a usable one (no `error`). */
  selectedId: string | null;
  refresh(): Promise<void>;
  select(id: string): void;
  /** Selects `id` if it is usable (e.g. the model of a conversation just opened). */
  prefer(id: string): void;
}

/** Remembers the last choice across reloads. */
export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const SELECTED_KEY = 'switchboard.model';

export const isUsable = (model: LocalModelEntry) => model.error === null;

export function createModelsStore(deps: { client: ContractClient; storage?: PreferenceStorage | undefined }) {
  const remembered = () => {
    try {
      return deps.storage?.getItem(SELECTED_KEY) ?? null;
    } catch {
      return null; // storage can be disabled; the choice just isn't remembered
    }
  };
  const remember = (id: string) => {
    try {
      deps.storage?.setItem(SELECTED_KEY, id);
    } catch {
      // see above
    }
  };

  return createStore<ModelsState>()((set, get) => {
    const usable = (id: string | null) => id !== null && get().items.some((m) => m.id === id && isUsable(m));

    return {
      items: [],
      status: 'idle',
      error: null,
      selectedId: null,

      async refresh() {
        set({ status: 'loading' });
        const result = await deps.client.request('models.local.list', {});
        if (!result.ok) {
          set({ status: 'error', error: describeError(result.error) });
          return;
        }
        set({ items: result.data, status: 'ready', error: null });
        const current = get().selectedId;
        if (usable(current)) return;
        const saved = remembered();
        const next = usable(saved) ? saved : (result.data.find(isUsable)?.id ?? null);
        set({ selectedId: next });
      },

      select(id) {
        if (!usable(id)) return;
        set({ selectedId: id });
        remember(id);
      },

      prefer(id) {
        if (usable(id)) set({ selectedId: id });
      },
    };
  });
}

export type ModelsStore = ReturnType<typeof createModelsStore>;
