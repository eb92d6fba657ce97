import { type MessageStatus } from '../../shared/domain';
import { type FinishReason, type ProviderErrorData, type StreamPart, type Usage } from '../../shared/llm';

/**
 * One column of a comparison while it streams: the answer so far, its usage and timings, and how
 * it ended. Held in memory (the `calls` rows are the routed caller's); each column has its own
 * abort, so stopping or failing one leaves the others alone.
 */
export class CompareColumn {
  private readonly controller = new AbortController();
  text = '';
  usage: Usage | undefined;
  private finishReason: FinishReason | undefined;
  private error: ProviderErrorData | undefined;
  private firstTokenAt: number | undefined;
  private endedAt: number | undefined;
  private streamEnded = false;

  constructor(
    readonly column: number,
    readonly model: string,
    readonly requestId: string,
    private readonly startedAt: number,
    private readonly clock: () => number,
  ) {}

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
    switch (part.type) {
      case 'text-delta':
        this.text += part.delta;
        this.firstTokenAt ??= this.clock();
        break;
      case 'reasoning-delta':
      case 'tool-call':
        this.firstTokenAt ??= this.clock();
        break;
      case 'error':
        this.error ??= part.error;
        break;
      case 'finish':
        this.usage = part.usage;
        this.finishReason = part.finishReason;
        break;
      default:
        break;
    }
  }

  /** A failure before or outside the stream's own parts. */
  fail(error: ProviderErrorData): void {
    this.error ??= error;
  }

  /** The stream ran to its end (as opposed to being stopped or left early). */
  markStreamEnded(): void {
    this.streamEnded = true;
  }

  end(): void {
    this.endedAt ??= this.clock();
  }

  get latencyMs(): number | null {
    return this.endedAt === undefined ? null : this.endedAt - this.startedAt;
  }

  get ttftMs(): number | null {
    return this.firstTokenAt === undefined ? null : this.firstTokenAt - this.startedAt;
  }

  /** Same reading as a chat reply's: an error wins over an abort, a stream without a finish is an error unless stopped. */
  outcome(): { status: MessageStatus; error: ProviderErrorData | null } {
    if (this.running) return { status: 'streaming', error: null };
    if (this.error !== undefined && this.error.kind !== 'aborted') return { status: 'error', error: this.error };
    if (this.finishReason === undefined && this.streamEnded && !this.signal.aborted) {
      return { status: 'error', error: { kind: 'server', message: `${this.model}: the model's stream ended without finishing`, retryable: false } };
    }
    if (this.error !== undefined || this.finishReason === undefined || this.finishReason.unified === 'aborted') {
      return { status: 'aborted', error: this.error ?? null };
    }
    if (this.finishReason.unified === 'error') {
      return { status: 'error', error: { kind: 'server', message: `${this.model}: the model stopped with an error it did not describe`, retryable: false } };
    }
    return { status: 'complete', error: null };
  }
}
