import { createStore } from 'zustand/vanilla';

export interface Toast {
  id: number;
  kind: 'info' | 'warning' | 'error';
  title: string;
  body: string;
}

export interface ToastsState {
  toasts: Toast[];
  /** Shows a toast; warnings and info go by themselves after a while, errors stay until dismissed. */
  push(toast: Omit<Toast, 'id'>): number;
  dismiss(id: number): void;
}

/** At most this many at once: the oldest goes first. */
const MAX_TOASTS = 4;

export function createToastsStore(options: { timeoutMs?: number; setTimer?: (run: () => void, ms: number) => void } = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const setTimer = options.setTimer ?? ((run, ms) => void setTimeout(run, ms));
  let nextId = 1;
  return createStore<ToastsState>()((set, get) => ({
    toasts: [],
    push(toast) {
      const id = nextId++;
      set({ toasts: [...get().toasts, { ...toast, id }].slice(-MAX_TOASTS) });
      if (toast.kind !== 'error') setTimer(() => get().dismiss(id), timeoutMs);
      return id;
    },
    dismiss(id) {
      set({ toasts: get().toasts.filter((t) => t.id !== id) });
    },
  }));
}

export type ToastsStore = ReturnType<typeof createToastsStore>;
