import { describe, expect, it, vi } from 'vitest';
import { createStreamQueue } from './stream-queue';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('createStreamQueue', () => {
  it('delivers items pushed before and after the reader starts, then ends', async () => {
    const queue = createStreamQueue<number>();
    queue.push(1);
    const reading = collect(queue);
    queue.push(2);
    queue.push(3);
    queue.end();
    expect(await reading).toEqual([1, 2, 3]);
  });

  it('drains buffered items before throwing the end error', async () => {
    const queue = createStreamQueue<string>();
    queue.push('a');
    queue.end(new Error('boom'));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of queue) seen.push(item);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual(['a']);
  });

  it('calls onReturn when the reader stops early, and ignores pushes after', async () => {
    const onReturn = vi.fn();
    const queue = createStreamQueue<number>(onReturn);
    queue.push(1);
    queue.push(2);
    for await (const item of queue) {
      expect(item).toBe(1);
      break;
    }
    expect(onReturn).toHaveBeenCalledOnce();
    queue.push(3);
    expect(queue.ended).toBe(true);
  });

  it('does not call onReturn when the stream had already ended', async () => {
    const onReturn = vi.fn();
    const queue = createStreamQueue<number>(onReturn);
    queue.push(1);
    queue.end();
    for await (const _ of queue) break;
    expect(onReturn).not.toHaveBeenCalled();
  });
});
