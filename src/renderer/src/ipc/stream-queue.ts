/**
 * A push-to-pull adapter: frames are pushed as they arrive and read with `for await`.
 * Unread items are buffered, so a slow consumer never loses a chunk.
 */
export interface StreamQueue<T> extends AsyncIterable<T> {
  push(item: T): void;
  /** Ends the iteration; with an error, the pending or next read throws it. Later calls are ignored. */
  end(error?: unknown): void;
  readonly ended: boolean;
}

type Waiter<T> = { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void };

export function createStreamQueue<T>(onReturn?: () => void): StreamQueue<T> {
  const buffer: T[] = [];
  const waiters: Waiter<T>[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;

  const settleWaiters = () => {
    while (waiters.length > 0) {
      const waiter = waiters.shift()!;
      if (failure) {
        waiter.reject(failure.error);
        failure = undefined; // thrown once, then the iterator is done
      } else {
        waiter.resolve({ done: true, value: undefined });
      }
    }
  };

  const iterator: AsyncIterator<T> = {
    next() {
      if (buffer.length > 0) return Promise.resolve({ done: false, value: buffer.shift()! });
      if (ended) {
        if (failure) {
          const { error } = failure;
          failure = undefined;
          return Promise.reject(error);
        }
        return Promise.resolve({ done: true, value: undefined });
      }
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    return() {
      // the consumer stopped reading (break, throw): stop the producer too
      if (!ended) {
        ended = true;
        buffer.length = 0;
        onReturn?.();
      }
      failure = undefined;
      settleWaiters();
      return Promise.resolve({ done: true, value: undefined });
    },
  };

  return {
    push(item) {
      if (ended) return;
      const waiter = waiters.shift();
      if (waiter) waiter.resolve({ done: false, value: item });
      else buffer.push(item);
    },
    end(error) {
      if (ended) return;
      ended = true;
      if (error !== undefined) failure = { error };
      if (buffer.length === 0) settleWaiters();
    },
    get ended() {
      return ended;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
}
