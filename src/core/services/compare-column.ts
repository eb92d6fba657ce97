import { type MessageStatus } from '../../shared/domain';
import { type ProviderErrorData, type StreamPart, type Usage } from '../../shared/llm';
import { StreamTally } from './stream-tally';

/**
 * One column of a comparison while it streams: the answer so far, its usage and timings, and how
 * it ended. Held in memory (the `calls` rows are the routed caller's); each column has its own
 * abort, so stopping or failing one leaves the others alone.
 */
export class CompareColumn {
  private readonly controller = new AbortController();
  private readonly tally: StreamTally;
  private endedAt: number | undefined;

  constructor(
    readonly column: number,
    readonly model: string,
    readonly requestId: string,
    private readonly startedAt: number,
    private readonly clock: () => number,
  ) {
    this.tally = new StreamTally(clock);
  }

  get text(): string {
    return this.tally.text;
  }

  get usage(): Usage | undefined {
    return this.tally.usage;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get running(): boolean {
    return this.endedAt === undefined;
  }

  abort(): void {
    this.controller.abort();
  }

  observe(part: StreamPart): void {
    this.tally.observe(part);
  }

  /** A failure before or outside the stream's own parts. */
  fail(error: ProviderErrorData): void {
    this.tally.fail(error);
  }

  /** The stream ran to its end (as opposed to being stopped or left early). */
  markStreamEnded(): void {
    this.tally.streamEnded = true;
  }

  end(): void {
    this.endedAt ??= this.clock();
  }

  get latencyMs(): number | null {
    return this.endedAt === undefined ? null : this.endedAt - this.startedAt;
  }

  get ttftMs(): number | null {
    return this.tally.ttftFrom(this.startedAt);
  }

  /** Same reading as a chat reply's (`StreamTally.outcome`); `streaming` until the column ends. */
  outcome(): { status: MessageStatus; error: ProviderErrorData | null } {
    if (this.running) return { status: 'streaming', error: null };
    const { status, error } = this.tally.outcome(this.model, this.signal.aborted);
    return { status, error: error ?? null };
  }
}
