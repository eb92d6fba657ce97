/** A single-consumer queue that an async generator can drain: push from callbacks, await in a loop. */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private waiter: ((value: void) => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    const wake = this.waiter;
    this.waiter = undefined;
    wake?.();
  }

  async next(): Promise<T> {
    while (this.items.length === 0) {
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
    return this.items.shift() as T;
  }
}
