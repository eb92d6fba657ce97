/** Text that arrived for one message since the last flush. */
export interface PendingText {
  text: string;
  reasoning: string;
}

/** Runs `flush` later; returns a cancel. */
export type Scheduler = (flush: () => void) => () => void;

/** About one frame: often enough to look live, rarely enough not to render per token. */
export const frameScheduler: Scheduler = (flush) => {
  const handle = setTimeout(flush, 16);
  return () => clearTimeout(handle);
};

/**
 * Coalesces streamed deltas: a model can send hundreds of tokens a second, and each
 * store update costs a render, so deltas are joined and applied at most once per tick.
 */
export function createDeltaBuffer(apply: (pending: ReadonlyMap<string, PendingText>) => void, schedule: Scheduler = frameScheduler) {
  let pending = new Map<string, PendingText>();
  let cancel: (() => void) | undefined;

  const flush = () => {
    cancel?.();
    cancel = undefined;
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    apply(batch);
  };

  return {
    append(messageId: string, field: keyof PendingText, delta: string) {
      if (delta === '') return;
      let entry = pending.get(messageId);
      if (entry === undefined) pending.set(messageId, (entry = { text: '', reasoning: '' }));
      entry[field] += delta;
      cancel ??= schedule(flush);
    },
    flush,
  };
}
