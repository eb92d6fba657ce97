import { describe, expect, it } from 'vitest';
import { createToastsStore } from './toast-store';

describe('toasts', () => {
  it('lets warnings go by themselves, keeps errors, and keeps at most four', () => {
    const timers: (() => void)[] = [];
    const store = createToastsStore({ setTimer: (run) => void timers.push(run) });
    const warning = store.getState().push({ kind: 'warning', title: 'w', body: '' });
    store.getState().push({ kind: 'error', title: 'e', body: '' });
    expect(timers).toHaveLength(1);
    timers[0]!();
    expect(store.getState().toasts.map((t) => t.title)).toEqual(['e']);
    expect(store.getState().toasts.some((t) => t.id === warning)).toBe(false);
    for (let i = 0; i < 5; i++) store.getState().push({ kind: 'error', title: `e${i}`, body: '' });
    expect(store.getState().toasts.map((t) => t.title)).toEqual(['e1', 'e2', 'e3', 'e4']);
  });
});
