import { close, open, writev } from 'node:fs';
import { promisify } from 'node:util';

const openFile = promisify(open);
const closeFile = promisify(close);

/**
 * Appends chunks to a file with `writev` on a plain fd: chunks that arrive while a write is in
 * flight go out together in the next one. Unlike a WriteStream it reports how far the file is
 * written after every write (`onWritten`: what the hasher may read, and the progress), with no
 * callback per chunk.
 */
export class PartWriter {
  /** Rejects with the first failed write (never resolves otherwise); race it against the source. */
  readonly failed: Promise<never>;
  private fail!: (error: Error) => void;
  private failure: Error | null = null;
  private queue: Buffer[] = [];
  private queued = 0;
  /** Bytes of the write in flight (0 when none); they count against the limit until written. */
  private inFlight = 0;
  private writing = false;
  private written: number;
  private drainWaiter: (() => void) | null = null;
  private idleWaiter: (() => void) | null = null;

  private constructor(
    private readonly fd: number,
    start: number,
    /** Bytes not yet written (queued or in flight) from which `write` answers false (the caller pauses its source until `onDrain`). */
    private readonly limit: number,
    private readonly onWritten: (bytes: number) => void,
  ) {
    this.written = start;
    this.failed = new Promise<never>((_, reject) => (this.fail = reject));
    this.failed.catch(() => undefined);
  }

  /**
   * `append`: continue after the `start` bytes already in the file; otherwise it is truncated and
   * `start` is ignored (0).
   */
  static async open(path: string, options: { append: boolean; start: number; limit: number; onWritten(bytes: number): void }): Promise<PartWriter> {
    const fd = await openFile(path, options.append ? 'a' : 'w');
    return new PartWriter(fd, options.append ? options.start : 0, options.limit, options.onWritten);
  }

  /** Bytes in the file once every write so far has completed. */
  get length(): number {
    return this.written;
  }

  /** Queues a chunk (which must not change afterwards); false when the queue is full or a write failed. */
  write(chunk: Buffer): boolean {
    if (this.failure) return false;
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (!this.writing) this.flush();
    return this.queued + this.inFlight < this.limit;
  }

  /** Calls `resume` once the queue is below the limit (never after a failed write: see `failed`). */
  onDrain(resume: () => void): void {
    if (this.failure) return;
    if (this.queued + this.inFlight < this.limit) return resume();
    this.drainWaiter = resume;
  }

  /** Waits for every queued chunk to be written, then closes the file; rejects if a write failed. */
  async close(): Promise<void> {
    if (this.writing) await new Promise<void>((resolve) => (this.idleWaiter = resolve));
    await closeFile(this.fd);
    if (this.failure) throw this.failure;
  }

  private flush(): void {
    const batch = this.queue;
    const size = this.queued;
    this.queue = [];
    this.queued = 0;
    this.inFlight = size;
    this.writing = true;
    writev(this.fd, batch, (error, bytes) => {
      this.writing = false;
      this.inFlight = 0;
      if (error) {
        this.failure = error;
        this.queue = [];
        this.queued = 0;
        this.drainWaiter = null;
        this.fail(error);
      } else {
        if (bytes < size) this.requeue(batch, bytes);
        this.written += bytes;
        this.onWritten(this.written);
        if (this.queued > 0) this.flush();
        if (this.drainWaiter && this.queued + this.inFlight < this.limit) {
          const resume = this.drainWaiter;
          this.drainWaiter = null;
          resume();
        }
      }
      if (!this.writing && this.idleWaiter) {
        const done = this.idleWaiter;
        this.idleWaiter = null;
        done();
      }
    });
  }

  /** After a short write (rare: a disk at a limit) the rest goes first in the next write, which reports its error, if any. */
  private requeue(batch: Buffer[], done: number): void {
    const rest: Buffer[] = [];
    let skip = done;
    for (const chunk of batch) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
      skip = 0;
    }
    this.queue = [...rest, ...this.queue];
    this.queued = this.queue.reduce((sum, chunk) => sum + chunk.length, 0);
  }
}
