import type { Clock, Sleep } from '../router-types';

/** A fake clock whose `sleep` advances virtual time at once: no real timers. */
export interface VirtualTime {
  clock: Clock;
  sleep: Sleep;
  advance(ms: number): void;
  /** Every sleep asked for, in order. */
  readonly sleeps: number[];
}

export function createVirtualTime(start = 1_000_000): VirtualTime {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: { now: () => now },
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      if (signal?.aborted) return;
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
    sleeps,
  };
}
