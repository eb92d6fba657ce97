import type { Clock, Random, Sleep } from '../router-types';

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

/** mulberry32: a small seeded generator. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
