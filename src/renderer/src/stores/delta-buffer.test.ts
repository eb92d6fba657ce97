import { describe, expect, it } from 'vitest';
import { type PendingText, createDeltaBuffer } from './delta-buffer';

function manualScheduler() {
  const queued: (() => void)[] = [];
  return {
    schedule: (fn: () => void) => {
      queued.push(fn);
      return () => queued.splice(queued.indexOf(fn) >>> 0, 1);
    },
    run: () => queued.splice(0).forEach((fn) => fn()),
    get size() {
      return queued.length;
    },
  };
}

describe('createDeltaBuffer', () => {
  it('joins deltas per message and applies them once per scheduled tick', () => {
    const ticks = manualScheduler();
    const applied: Map<string, PendingText>[] = [];
    const buffer = createDeltaBuffer((p) => applied.push(new Map(p)), ticks.schedule);
    buffer.append('a', 'text', 'Hel');
    buffer.append('a', 'text', 'lo');
    buffer.append('a', 'reasoning', 'hmm');
    buffer.append('b', 'text', '!');
    expect(ticks.size).toBe(1);
    expect(applied).toEqual([]);
    ticks.run();
    expect(applied).toEqual([
      new Map([
        ['a', { text: 'Hello', reasoning: 'hmm' }],
        ['b', { text: '!', reasoning: '' }],
      ]),
    ]);
  });

  it('flush() applies at once and cancels the pending tick', () => {
    const ticks = manualScheduler();
    let calls = 0;
    const buffer = createDeltaBuffer(() => calls++, ticks.schedule);
    buffer.append('a', 'text', 'x');
    buffer.flush();
    expect(calls).toBe(1);
    expect(ticks.size).toBe(0);
    buffer.flush();
    buffer.append('a', 'text', '');
    expect(calls).toBe(1);
    expect(ticks.size).toBe(0);
  });
});
