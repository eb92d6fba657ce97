/**
 * Coalesces token text into fewer messages: the process hop then costs per batch, not per
 * token. A batch is sent when it is `maxDelayMs` old or holds `maxChunks` chunks, whichever
 * comes first; the first chunk after a quiet spell goes out at once, so time to first token
 * is not delayed.
 */
export interface TextBatcherOptions {
  send: (text: string) => void;
  maxDelayMs?: number;
  maxChunks?: number;
  now?: () => number;
}

export class TextBatcher {
  private buffer = '';
  private chunks = 0;
  private lastSend = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly send: (text: string) => void;
  private readonly maxDelayMs: number;
  private readonly maxChunks: number;
  private readonly now: () => number;

  constructor(options: TextBatcherOptions) {
    this.send = options.send;
    this.maxDelayMs = options.maxDelayMs ?? 25;
    this.maxChunks = options.maxChunks ?? 32;
    this.now = options.now ?? Date.now;
  }

  push(text: string): void {
    if (text === '') return;
    this.buffer += text;
    this.chunks++;
    const elapsed = this.now() - this.lastSend;
    if (elapsed >= this.maxDelayMs || this.chunks >= this.maxChunks) {
      this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.maxDelayMs - elapsed);
    }
  }

  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    this.chunks = 0;
    this.lastSend = this.now();
    this.send(text);
  }
}
