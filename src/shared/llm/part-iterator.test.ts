import { describe, expect, it, vi } from 'vitest';
import { collectParts, collectStream } from './generate';
import { PartQueue, iteratorStream, partsOf, readerIterator, withParts, type PartIterator } from './part-iterator';
import type { StreamPart } from './stream-part';

const text = (delta: string): StreamPart => ({ type: 'text-delta', id: 't', delta });
const finish: StreamPart = { type: 'finish', usage: { inputTokens: {}, outputTokens: {} }, finishReason: { unified: 'stop' } };

function arrayIterator(parts: StreamPart[], onReturn = vi.fn()): PartIterator {
  const left = [...parts];
  return {
    next: async () => {
      const value = left.shift();
      return value === undefined ? { done: true, value: undefined } : { done: false, value };
    },
    return: async () => {
      onReturn();
      return { done: true, value: undefined };
    },
  };
}

describe('PartQueue', () => {
  it('hands out queued parts, then waits for the next push, then ends', async () => {
    const queue = new PartQueue({ onReturn: vi.fn() });
    queue.push(text('a'));
    queue.push(text('b'));
    expect(await queue.next()).toEqual({ done: false, value: text('a') });
    expect(queue.nextBuffered()).toEqual(text('b'));
    expect(queue.nextBuffered()).toBeUndefined();
    const waiting = queue.next();
    queue.push(text('c'));
    expect(await waiting).toEqual({ done: false, value: text('c') });
    queue.push(finish);
    queue.end();
    expect(await queue.next()).toEqual({ done: false, value: finish });
    expect(await queue.next()).toEqual({ done: true, value: undefined });
  });

  it('ends a waiting reader', async () => {
    const queue = new PartQueue({ onReturn: vi.fn() });
    const waiting = queue.next();
    queue.end();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  it('asks the producer to pause past the high-water mark, and says when it drained', async () => {
    const onDrain = vi.fn();
    const queue = new PartQueue({ onReturn: vi.fn(), onDrain, highWaterMark: 2 });
    expect(queue.push(text('a'))).toBe(true);
    expect(queue.push(text('b'))).toBe(false);
    await queue.next();
    expect(onDrain).not.toHaveBeenCalled();
    await queue.next();
    expect(onDrain).toHaveBeenCalledTimes(1);
  });

  it('stops the producer when the reader returns early, once, and not after the end', async () => {
    const onReturn = vi.fn();
    const queue = new PartQueue({ onReturn });
    queue.push(text('a'));
    const waiting = (await queue.next(), queue.next());
    await queue.return();
    await queue.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(onReturn).toHaveBeenCalledTimes(1);
    expect(queue.push(text('late'))).toBe(false);

    const ended = new PartQueue({ onReturn });
    ended.end();
    await ended.return();
    expect(onReturn).toHaveBeenCalledTimes(1);
  });
});

describe('part sources', () => {
  it('withParts builds the stream only when it is read, over the same parts', async () => {
    const onReturn = vi.fn();
    const source = withParts({ requestId: 'r1' }, arrayIterator([text('a'), finish], onReturn));
    expect(source.requestId).toBe('r1');
    const { stream } = source;
    expect(source.stream).toBe(stream);
    expect((await collectStream(stream)).text).toBe('a');
  });

  it('cancelling the built stream returns the iterator', async () => {
    const onReturn = vi.fn();
    const stream = iteratorStream(arrayIterator([text('a'), text('b'), finish], onReturn));
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(onReturn).toHaveBeenCalledTimes(1);
  });

  it('partsOf takes the parts when there are some, else reads the stream (and cancels it on return)', async () => {
    const parts = arrayIterator([text('x'), finish]);
    expect(partsOf({ stream: new ReadableStream(), parts })).toBe(parts);

    const cancel = vi.fn();
    let sent = 0;
    const stream = new ReadableStream<StreamPart>({
      pull: (c) => {
        c.enqueue(text(String(sent++)));
      },
      cancel,
    });
    const read = partsOf({ stream });
    expect(await read.next()).toEqual({ done: false, value: text('0') });
    await read.return();
    expect(cancel).toHaveBeenCalled();
  });

  it('collectParts drains buffered parts in one go', async () => {
    const queue = new PartQueue({ onReturn: vi.fn() });
    for (const p of [text('a'), text('b'), finish]) queue.push(p);
    queue.end();
    const result = await collectParts(queue);
    expect(result.text).toBe('ab');
    expect(result.finishReason.unified).toBe('stop');
    expect((await collectParts(readerIterator(iteratorStream(arrayIterator([text('c'), finish]))))).text).toBe('c');
  });
});
