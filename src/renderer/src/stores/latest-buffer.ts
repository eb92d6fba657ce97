import { type Scheduler, frameScheduler } from './delta-buffer';

/**
 * Keeps only the latest value per key until the next flush: progress events can arrive many times
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

  return {
    put(key: string, value: V) {
      pending.set(key, value);
      cancel ??= schedule(flush);
    },
    flush,
  };
}
