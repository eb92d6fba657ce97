import { type MessageStatus, type StoredToolCall } from '../../shared/domain';
import { type FinishReason, type ProviderErrorData, type StreamPart, type Usage } from '../../shared/llm';
import { type Store } from '../store';
import { type Log } from './log';

export interface ChatExchangeInit {
  store: Store;
  clock: () => number;
  log: Log;
  requestId: string;
  conversationId: string;
  assistantMessageId: string;
  /** What the send asked for (a group, `provider/model`, a local id), for messages. */
  model: string;
  startedAt: number;
}

/** How often partial text (and reasoning) is saved while streaming, so a crash keeps most of a reply. */
const FLUSH_EVERY_MS = 1_000;

/**
 * One send in flight, on the chat's side: it watches the stream parts go by, saves the partial text
 * and reasoning now and then (a crash keeps most of a reply), and, exactly once, writes the
 * assistant message's final state, with its reasoning and tool calls, whether it finished, failed
 * or was stopped. The `calls` rows are the routed caller's (one per attempt).
 */
export class ChatExchange {
  private readonly controller = new AbortController();
  private text = '';
  private reasoning = '';
  private readonly toolCalls: StoredToolCall[] = [];
  private usage: Usage | undefined;
  private finishReason: FinishReason | undefined;
  private error: ProviderErrorData | undefined;
  private firstTokenAt: number | undefined;
  private lastFlushAt: number;
  private finalized = false;
  private streamEnded = false;
  private resolveSettled!: () => void;
  /** Resolves once the rows are written. */
  readonly settled = new Promise<void>((resolve) => {
    this.resolveSettled = resolve;
  });

  constructor(private readonly init: ChatExchangeInit) {
    this.lastFlushAt = init.startedAt;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(): void {
    this.controller.abort();
  }

  observe(part: StreamPart): void {
    switch (part.type) {
      case 'text-delta':
        this.text += part.delta;
        this.markFirstToken();
        this.flushPartial();
        break;
      case 'reasoning-delta':
        this.reasoning += part.delta;
        this.markFirstToken();
        this.flushPartial();
        break;
      case 'tool-call':
        // Kept in memory and written once, with the final state: a reply has a handful at most.
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

  /** The stream ran to its end (as opposed to being left early). */
  markStreamEnded(): void {
    this.streamEnded = true;
  }

  /** A failure before or outside the stream's own parts. */
  fail(error: ProviderErrorData): void {
    this.error ??= error;
  }

  /** Writes the message's final state. Safe to call more than once; only the first counts. */
  finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    const init = this.init;
    const store = init.store;
    const endedAt = init.clock();
    const { status, error } = this.outcome();
    const usage = this.usage;
    const ttftMs = this.firstTokenAt === undefined ? null : this.firstTokenAt - init.startedAt;
    const latencyMs = endedAt - init.startedAt;
    try {
      store.transaction(() => {
        store.messages.update(init.assistantMessageId, {
          text: this.text,
          status,
          usage: usage ?? null,
          error: error ?? null,
          latencyMs,
          ttftMs,
          reasoning: this.reasoning,
          toolCalls: this.toolCalls,
        });
        store.conversations.touch(init.conversationId, endedAt);
      });
    } catch (cause) {
      // The reply was already streamed; losing its record must not break the caller.
      init.log('error', `could not record chat ${init.requestId}: ${cause instanceof Error ? cause.message : String(cause)}`);
    } finally {
      this.resolveSettled();
    }
  }

  private outcome(): { status: MessageStatus; error: ProviderErrorData | undefined } {
    if (this.error !== undefined && this.error.kind !== 'aborted') {
      return { status: 'error', error: this.error };
    }
    if (this.finishReason === undefined && this.streamEnded && !this.signal.aborted) {
      return { status: 'error', error: this.describedError('the model\'s stream ended without finishing') };
    }
    // No finish part otherwise means an abort, or a consumer that stopped reading.
    if (this.error !== undefined || this.finishReason === undefined || this.finishReason.unified === 'aborted') {
      return { status: 'aborted', error: this.error };
    }
    if (this.finishReason.unified === 'error') {
      return { status: 'error', error: this.describedError('the model stopped with an error it did not describe') };
    }
    return { status: 'complete', error: undefined };
  }

  private describedError(what: string): ProviderErrorData {
    return { kind: 'server', message: `${this.init.model}: ${what}`, retryable: false };
  }

  private markFirstToken(): void {
    this.firstTokenAt ??= this.init.clock();
  }

  private flushPartial(): void {
    const now = this.init.clock();
    if (now - this.lastFlushAt < FLUSH_EVERY_MS) return;
    this.lastFlushAt = now;
    this.init.store.messages.update(this.init.assistantMessageId, { text: this.text, reasoning: this.reasoning });
  }
}
