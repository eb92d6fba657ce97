/** Runs `flush` later; returns a cancel. */
export type Scheduler = (flush: () => void) => () => void;

/** About one frame: often enough to look live, rarely enough not to render per token. */
export const frameScheduler: Scheduler = (flush) => {
  const handle = setTimeout(flush, 16);
  return () => clearTimeout(handle);
};

/**
 * Keeps one pending value per key until the next flush: progress events can arrive many times
 * a second per job, and each store update costs a render, so they are applied at most once a frame.
 */
export function createLatestBuffer<V>(apply: (batch: ReadonlyMap<string, V>) => void, schedule: Scheduler = frameScheduler) {
  let pending = new Map<string, V>();
  let cancel: (() => void) | undefined;

  const flush = () => {
    cancel?.();
    cancel = undefined;
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    apply(batch);
  };

  const update = (key: string, next: (previous: V | undefined) => V) => {
    pending.set(key, next(pending.get(key)));
    cancel ??= schedule(flush);
  };

  return {
    put: (key: string, value: V) => update(key, () => value),
    /** Folds a value into what is pending for the key (streamed text joins, progress replaces). */
    update,
    flush,
  };
}
