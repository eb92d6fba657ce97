import type { StreamPart } from './stream-part';

/**
 * Parts read one at a time, straight from their source. A `ReadableStream` costs several promises
 * and a queue per part and layer (on Node 20, about 18 µs per stream of ten parts, and building one
 * costs about 10 µs more); a plain async iterator costs a resolved promise. Hot paths (the adapter,
 * the router, the routed caller, the gateway) hand parts on through these, and build a
 * `ReadableStream` only for a caller that asks for one.
 *
 * `return()` stops the source (it aborts the request behind it), as cancelling a stream does.
 */
export type PartIterator = AsyncIterator<StreamPart, undefined> & {
  return(): Promise<IteratorResult<StreamPart, undefined>>;
  /** The next part when one is already queued, else undefined (then `next()`): lets a reader take a network read's parts in one go. */
  nextBuffered?(): StreamPart | undefined;
};

/** What a source of parts resolves to: the stream, and its parts without the stream's costs when the source has them. */
export interface PartSource {
  readonly stream: ReadableStream<StreamPart>;
  /** The same parts as `stream`, one consumer only: read one or the other. */
  readonly parts?: PartIterator;
}

const DONE: IteratorResult<StreamPart, undefined> = { done: true, value: undefined };

/** The parts of a source: its iterator when it has one, else a reader of its stream. */
export function partsOf(source: PartSource): PartIterator {
  return source.parts ?? readerIterator(source.stream);
}

/** A stream's parts through its reader; `return()` cancels the stream. */
export function readerIterator(stream: ReadableStream<StreamPart>): PartIterator {
  const reader = stream.getReader();
  return {
    // A read result already has an iterator result's shape: handed on as it is, with no extra
    // promise (callers that cancel count on a cancel reaching the reader within the same turns).
    next: () => reader.read() as Promise<IteratorResult<StreamPart, undefined>>,
    async return() {
      await reader.cancel().catch(() => undefined);
      return DONE;
    },
  };
}

/** A stream that reads from the iterator as its consumer pulls; cancelling it calls `return()`. */
export function iteratorStream(parts: PartIterator): ReadableStream<StreamPart> {
  return new ReadableStream<StreamPart>({
    async pull(controller) {
      const next = await parts.next();
      if (next.done === true) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await parts.return();
    },
  });
}

/** `parts`, and a `stream` over them built only when first read (a getter on the prototype: cheap to make). */
class LazyPartSource implements PartSource {
  #stream: ReadableStream<StreamPart> | undefined;
  constructor(readonly parts: PartIterator) {}
  get stream(): ReadableStream<StreamPart> {
    return (this.#stream ??= iteratorStream(this.parts));
  }
}

/**
 * `fields` plus `parts`, and a `stream` over the same parts built only when first read (one
 * consumer: whoever reads `stream` should not read `parts`).
 */
export function withParts<T extends object>(fields: T, parts: PartIterator): T & { readonly stream: ReadableStream<StreamPart>; readonly parts: PartIterator } {
  return Object.assign(new LazyPartSource(parts), fields);
}

/**
 * An iterator over parts pushed by a producer (a network handler): `push` and `end` never wait;
 * `next()` resolves at once while parts are queued. `onDrain` runs when the queue empties after the
 * producer was told to pause (`push` returned false), so the producer can resume reading.
 */
export class PartQueue implements PartIterator {
  private readonly queue: StreamPart[] = [];
  private head = 0;
  private ended = false;
  private waiting: ((result: IteratorResult<StreamPart, undefined>) => void) | undefined;
  private paused = false;

  constructor(
    private readonly hooks: {
      /** The consumer stopped early: stop the producer. */
      onReturn: () => void;
      /** The queue emptied after a `push` returned false. */
      onDrain?: () => void;
      /** Queued parts above which `push` returns false. Default 64. */
      highWaterMark?: number;
    },
  ) {}

  /** Queues a part; false when the producer should pause until `onDrain`. */
  push(part: StreamPart): boolean {
    if (this.ended) return false;
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      waiting({ done: false, value: part });
      return true;
    }
    this.queue.push(part);
    if (this.queue.length - this.head < (this.hooks.highWaterMark ?? 64)) return true;
    this.paused = true;
    return false;
  }

  /** No more parts: `next()` reports done once the queue is empty. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting !== undefined && this.head === this.queue.length) waiting(DONE);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  nextBuffered(): StreamPart | undefined {
    if (this.head >= this.queue.length) return undefined;
    const value = this.queue[this.head++] as StreamPart;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      if (this.paused) {
        this.paused = false;
        this.hooks.onDrain?.();
      }
    }
    return value;
  }

  next(): Promise<IteratorResult<StreamPart, undefined>> {
    const value = this.nextBuffered();
    if (value !== undefined) return Promise.resolve({ done: false, value });
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  async return(): Promise<IteratorResult<StreamPart, undefined>> {
    if (!this.ended) {
      this.ended = true;
      this.queue.length = 0;
      this.head = 0;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(DONE);
      this.hooks.onReturn();
    }
    return DONE;
  }
}
