import { describe, expect, it } from 'vitest';
import { defaultBudgetBytes, planRoom, type BudgetEntry } from './pool-budget';

const entry = (path: string, memoryBytes: number, lastUsedAt: number, busy = false): BudgetEntry => ({ path, memoryBytes, lastUsedAt, busy });

describe('planRoom', () => {
  it('fits without evicting when under the budget', () => {
    expect(planRoom([entry('a', 40, 1)], 50, 100)).toEqual({ kind: 'fits' });
  });

  it('evicts the least recently used idle models first, only as many as needed', () => {
    const entries = [entry('new', 30, 9), entry('old', 30, 1), entry('mid', 30, 5)];
    expect(planRoom(entries, 30, 100)).toEqual({ kind: 'evict', paths: ['old'] });
    expect(planRoom(entries, 60, 100)).toEqual({ kind: 'evict', paths: ['old', 'mid'] });
  });

  it('never evicts a busy model: it skips it, or waits for it when nothing else frees enough', () => {
    const entries = [entry('streaming', 50, 1, true), entry('idle', 30, 5)];
    expect(planRoom(entries, 40, 100)).toEqual({ kind: 'evict', paths: ['idle'] });
    expect(planRoom(entries, 60, 100)).toEqual({ kind: 'wait', evict: ['idle'], waitFor: 'streaming' });
  });

  it('loads a model larger than the whole budget after evicting every idle one', () => {
    expect(planRoom([entry('a', 10, 1), entry('b', 10, 2, true)], 500, 100)).toEqual({ kind: 'over', evict: ['a'] });
  });
});

describe('defaultBudgetBytes', () => {
  it('takes most of the free RAM, plus most of the free VRAM on a GPU backend', () => {
    expect(defaultBudgetBytes(1000, null)).toBe(800);
    expect(defaultBudgetBytes(1000, 2000)).toBe(2600);
  });
});
