import { createStore } from 'zustand/vanilla';
import type { UsageSummary } from '../../../shared/domain';
import type { ContractClient } from '../ipc';
import { type LoadStatus, describeError } from './loadable';

export interface UsageState {
  summary: UsageSummary | null;
  status: LoadStatus;
  error: string | null;
  refresh(): Promise<void>;
}

export function createUsageStore(deps: { client: ContractClient }) {
  let generation = 0;

  return createStore<UsageState>()((set) => ({
    summary: null,
    status: 'idle',
    error: null,

    async refresh() {
      const mine = ++generation;
      set({ status: 'loading' });
      const result = await deps.client.request('usage.summary', {});
      if (mine !== generation) return;
      if (!result.ok) {
        set({ status: 'error', error: describeError(result.error) });
        return;
      }
      set({ summary: result.data, status: 'ready', error: null });
    },
  }));
}

export type UsageStore = ReturnType<typeof createUsageStore>;
