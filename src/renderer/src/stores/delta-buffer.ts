import { type Scheduler, createLatestBuffer, frameScheduler } from './latest-buffer';

export type { Scheduler } from './latest-buffer';

/** Text that arrived for one message since the last flush. */
export interface PendingText {
  text: string;
  reasoning: string;
}

/**
 * Coalesces streamed deltas: a model can send hundreds of tokens a second, and each
 * store update costs a render, so deltas are joined and applied at most once per tick.
 */
export function createDeltaBuffer(apply: (pending: ReadonlyMap<string, PendingText>) => void, schedule: Scheduler = frameScheduler) {
  const buffer = createLatestBuffer<PendingText>(apply, schedule);
  return {
    append(messageId: string, field: keyof PendingText, delta: string) {
      if (delta === '') return;
      buffer.update(messageId, (entry = { text: '', reasoning: '' }) => ({ ...entry, [field]: entry[field] + delta }));
    },
    flush: buffer.flush,
  };
}
