import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TextBatcher } from './text-batcher';

describe('TextBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first chunk at once, then coalesces until the delay passes', () => {
    const sent: string[] = [];
    const b = new TextBatcher({ send: (t) => sent.push(t), maxDelayMs: 20, now: () => Date.now() });
    b.push('a');
    expect(sent).toEqual(['a']);
    b.push('b');
    b.push('c');
    expect(sent).toEqual(['a']);
    vi.advanceTimersByTime(20);
    expect(sent).toEqual(['a', 'bc']);
  });

  it('sends when the chunk limit is reached', () => {
    const sent: string[] = [];
    const b = new TextBatcher({ send: (t) => sent.push(t), maxDelayMs: 1000, maxChunks: 3, now: () => Date.now() });
    for (const c of 'abcdefg') b.push(c);
    expect(sent).toEqual(['a', 'bcd', 'efg']);
    b.flush();
    expect(sent).toEqual(['a', 'bcd', 'efg']);
  });

  it('flush sends what is left and clears the timer', () => {
    const sent: string[] = [];
    const b = new TextBatcher({ send: (t) => sent.push(t), maxDelayMs: 50, now: () => Date.now() });
    b.push('a');
    b.push('b');
    b.flush();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['a', 'b']);
  });
});
