import { createStore } from 'zustand/vanilla';
import type { UsageDashboard } from '../../../shared/contract';
import type { ContractClient } from '../ipc';
import { type LoadStatus, describeError } from './loadable';

export type RangePreset = 'today' | '7d' | '30d' | 'custom';
export type SpendBy = 'provider' | 'model';

/** `YYYY-MM-DD` in local time, as `<input type="date">` reads and writes it. */
export type DateInput = string;

export interface DashboardState {
  preset: RangePreset;
  /** Custom range, both days included. */
  customFrom: DateInput;
  customTo: DateInput;
  spendBy: SpendBy;
  /** `TYPE/MODEL`; null until the first answer names the default. */
  savingsModel: string | null;
  data: UsageDashboard | null;
  status: LoadStatus;
  error: string | null;
  /** Whether the page is on screen: finished chats refresh it only then. */
  visible: boolean;
  /** The last export or clear, in words. */
  notice: string | null;
  show(): void;
  hide(): void;
  refresh(): Promise<void>;
  setPreset(preset: RangePreset): void;
  setCustom(from: DateInput, to: DateInput): void;
  setSpendBy(by: SpendBy): void;
  setSavingsModel(ref: string): void;
  /** The CSV of the range, for the page to save as a file; null when it failed (see `error`). */
  exportCsv(): Promise<{ filename: string; csv: string; rows: number } | null>;
  /** Deletes the ended calls of the range, or all of them. */
  clear(scope: 'range' | 'all'): Promise<void>;
}

const DAY = 86_400_000;

/** Local midnight of the day holding `ms`. */
export function localMidnight(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The local midnight `days` days after the one holding `ms` (DST-safe: by the calendar, not by 24 h). */
function addDays(ms: number, days: number): number {
  const d = new Date(localMidnight(ms));
  d.setDate(d.getDate() + days);
  return d.getTime();
}

export function toDateInput(ms: number): DateInput {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function fromDateInput(value: DateInput): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m === null) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? null : d.getTime();
}

/**
 * The range a preset means, in whole local days ending with today: [from, to). Custom takes both
 * days inclusive. An invalid custom range is an error message instead.
 */
export function rangeFor(
  preset: RangePreset,
  now: number,
  custom: { from: DateInput; to: DateInput },
): { from: number; to: number } | { error: string } {
  const tomorrow = addDays(now, 1);
  switch (preset) {
    case 'today':
      return { from: localMidnight(now), to: tomorrow };
    case '7d':
      return { from: addDays(now, -6), to: tomorrow };
    case '30d':
      return { from: addDays(now, -29), to: tomorrow };
    case 'custom': {
      const from = fromDateInput(custom.from);
      const to = fromDateInput(custom.to);
      if (from === null || to === null) return { error: 'Pick both a start and an end date.' };
      if (to < from) return { error: 'The end date is before the start date.' };
      return { from, to: addDays(to, 1) };
    }
  }
}

export function createDashboardStore(deps: { client: ContractClient; now?: () => number }) {
  const now = deps.now ?? Date.now;
  let generation = 0;

  return createStore<DashboardState>()((set, get) => {
    const range = () => rangeFor(get().preset, now(), { from: get().customFrom, to: get().customTo });
    return {
      preset: '7d',
      customFrom: toDateInput(now() - 6 * DAY),
      customTo: toDateInput(now()),
      spendBy: 'provider',
      savingsModel: null,
      data: null,
      status: 'idle',
      error: null,
      visible: false,
      notice: null,

      show() {
        set({ visible: true });
        void get().refresh();
      },
      hide() {
        set({ visible: false });
      },

      async refresh() {
        const r = range();
        if ('error' in r) {
          set({ status: 'error', error: r.error });
          return;
        }
        const mine = ++generation;
        set({ status: 'loading' });
        const savingsModel = get().savingsModel;
        const result = await deps.client.request('usage.dashboard', { ...r, ...(savingsModel !== null && { savingsModel }) });
        if (mine !== generation) return;
        if (!result.ok) {
          set({ status: 'error', error: describeError(result.error) });
          return;
        }
        set({ data: result.data, status: 'ready', error: null, savingsModel: result.data.savings.model?.ref ?? savingsModel });
      },

      setPreset(preset) {
        set({ preset, notice: null });
        void get().refresh();
      },
      setCustom(customFrom, customTo) {
        set({ preset: 'custom', customFrom, customTo, notice: null });
        void get().refresh();
      },
      setSpendBy(spendBy) {
        set({ spendBy });
      },
      setSavingsModel(ref) {
        set({ savingsModel: ref });
        void get().refresh();
      },

      async exportCsv() {
        const r = range();
        if ('error' in r) {
          set({ error: r.error });
          return null;
        }
        const result = await deps.client.request('usage.export', r);
        if (!result.ok) {
          set({ error: describeError(result.error) });
          return null;
        }
        set({ notice: `Exported ${result.data.rows} call${result.data.rows === 1 ? '' : 's'} to ${result.data.filename}.` });
        return result.data;
      },

      async clear(scope) {
        const r = range();
        if (scope === 'range' && 'error' in r) {
          set({ error: r.error });
          return;
        }
        const input = scope === 'all' || 'error' in r ? { confirm: true as const } : { ...r, confirm: true as const };
        const result = await deps.client.request('usage.clear', input);
        if (!result.ok) {
          set({ error: describeError(result.error) });
          return;
        }
        set({ notice: `Deleted ${result.data.deleted} call${result.data.deleted === 1 ? '' : 's'} from the usage history.` });
        await get().refresh();
      },
    };
  });
}

export type DashboardStore = ReturnType<typeof createDashboardStore>;
