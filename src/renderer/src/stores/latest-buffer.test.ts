import { describe, expect, it } from 'vitest';
import { createLatestBuffer } from './latest-buffer';

function manualScheduler() {
  const queued: (() => void)[] = [];
  return {
    schedule: (flush: () => void) => {
      queued.push(flush);
      return () => queued.splice(queued.indexOf(flush), 1);
    },
    run: () => queued.splice(0).forEach((flush) => flush()),
    get pending() {
      return queued.length;
    },
  };
}

describe('latest buffer', () => {
  it('applies only the latest value per key, once per scheduled tick', () => {
    const clock = manualScheduler();
    const batches: [string, number][][] = [];
    const buffer = createLatestBuffer<number>((batch) => batches.push([...batch]), clock.schedule);
    buffer.put('a', 1);
    buffer.put('a', 2);
    buffer.put('b', 7);
    buffer.put('a', 3);
    expect(clock.pending).toBe(1);
    expect(batches).toEqual([]);
    clock.run();
    expect(batches).toEqual([
      [
        ['a', 3],
        ['b', 7],
      ],
    ]);
    clock.run();
    expect(batches).toHaveLength(1);
  });

  it('flushes at once on demand and cancels the scheduled tick', () => {
    const clock = manualScheduler();
    const seen: number[] = [];
    const buffer = createLatestBuffer<number>((batch) => seen.push(...batch.values()), clock.schedule);
    buffer.put('a', 1);
    buffer.flush();
    expect(seen).toEqual([1]);
    expect(clock.pending).toBe(0);
    buffer.flush();
    expect(seen).toEqual([1]);
  });
});
