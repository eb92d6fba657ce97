import { type MessageStatus, type StoredToolCall } from '../../shared/domain';
import { type FinishReason, type ProviderErrorData, type StreamPart, type Usage } from '../../shared/llm';

/**
 * What a reply's stream parts add up to, read the same way for a chat reply and a compare column:
 * the text, reasoning and tool calls, when the first token came, the first error, and the finish's
 * usage and reason. Callers add what is theirs (saving partial text, timings, aborts).
 */
export class StreamTally {
  text = '';
  reasoning = '';
  readonly toolCalls: StoredToolCall[] = [];
  usage: Usage | undefined;
  finishReason: FinishReason | undefined;
  error: ProviderErrorData | undefined;
  firstTokenAt: number | undefined;
  /** The stream ran to its end (as opposed to being stopped or left early). */
  streamEnded = false;

  constructor(private readonly clock: () => number) {}

  observe(part: StreamPart): void {
    switch (part.type) {
      case 'text-delta':
        this.text += part.delta;
        this.markFirstToken();
        break;
      case 'reasoning-delta':
        this.reasoning += part.delta;
        this.markFirstToken();
        break;
      case 'tool-call':
        // A reply has a handful at most: kept in memory and written with the final state.
        this.toolCalls.push({ id: part.toolCallId, name: part.toolName, input: part.input });
        this.markFirstToken();
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

  /** A failure before or outside the stream's own parts; the first error wins. */
  fail(error: ProviderErrorData): void {
    this.error ??= error;
  }

  /**
   * How the reply ended: an error wins over an abort; a stream that ended without a finish is an
   * error unless it was stopped (`aborted`); no finish otherwise means an abort, or a consumer
   * that stopped reading. `model` names the reply in the errors this reading makes up.
   */
  outcome(model: string, aborted: boolean): { status: MessageStatus; error: ProviderErrorData | undefined } {
    if (this.error !== undefined && this.error.kind !== 'aborted') return { status: 'error', error: this.error };
    if (this.finishReason === undefined && this.streamEnded && !aborted) {
      return { status: 'error', error: described(model, "the model's stream ended without finishing") };
    }
    if (this.error !== undefined || this.finishReason === undefined || this.finishReason.unified === 'aborted') {
      return { status: 'aborted', error: this.error };
    }
    if (this.finishReason.unified === 'error') {
      return { status: 'error', error: described(model, 'the model stopped with an error it did not describe') };
    }
    return { status: 'complete', error: undefined };
  }

  /** Milliseconds from `startedAt` to the first token; null before one came. */
  ttftFrom(startedAt: number): number | null {
    return this.firstTokenAt === undefined ? null : this.firstTokenAt - startedAt;
  }

  private markFirstToken(): void {
    this.firstTokenAt ??= this.clock();
  }
}

function described(model: string, what: string): ProviderErrorData {
  return { kind: 'server', message: `${model}: ${what}`, retryable: false };
}
