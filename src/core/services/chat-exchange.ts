import { type CallOutcome, type MessageStatus } from '../../shared/domain';
import { type FinishReason, type ProviderErrorData, type StreamPart, type Usage } from '../../shared/llm';
import { type Store } from '../store';
import { type Log } from './log';
import { usageColumns } from './usage-columns';

export interface ChatExchangeInit {
  store: Store;
  clock: () => number;
  log: Log;
  callId: string;
  requestId: string;
  conversationId: string;
  assistantMessageId: string;
  provider: string;
  model: string;
  deployment: string | null;
  client: string;
  startedAt: number;
  /** The call's cost from its usage (a cloud model's prices); without it, local calls cost 0 and others are unknown. */
  costUsd?: (usage: Usage) => number | null;
  /**
   * False when someone else writes the `calls` rows (a routed send: one row per router attempt);
   * then `begin` writes nothing and `finalize` writes the message only. Default true.
   */
  ownsCallRow?: boolean;
}

/** How often partial text is saved while streaming, so a crash keeps most of a reply. */
const FLUSH_EVERY_MS = 1_000;

/**
 * One send in flight. `begin()` writes its `calls` row, in flight, when the attempt starts (in the
 * transaction that writes the assistant message), so a process that dies mid-stream still leaves the
 * row for startup recovery to close. It watches the stream parts go by and, exactly once, writes the
 * assistant message's final state and completes the `calls` row together.
 */
export class ChatExchange {
  private readonly controller = new AbortController();
  private text = '';
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
        this.flushText();
        break;
      case 'reasoning-delta':
      case 'tool-call':
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

  /**
   * Writes the `calls` row of this attempt, in flight (outcome not yet known). Call it once, before
   * the model is asked, inside the transaction that inserts the assistant message.
   */
  begin(): void {
    const init = this.init;
    if (init.ownsCallRow === false) return;
    init.store.calls.begin({
      id: init.callId,
      requestId: init.requestId,
      attempt: 1,
      fallbackDepth: 0,
      conversationId: init.conversationId,
      provider: init.provider,
      model: init.model,
      deployment: init.deployment,
      startedAt: init.startedAt,
      client: init.client,
    });
  }

  /** Writes the message and completes the call row. Safe to call more than once; only the first counts. */
  finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    const init = this.init;
    const store = init.store;
    const endedAt = init.clock();
    const { outcome, status, error } = this.outcome();
    const usage = this.usage;
    const ttftMs = this.firstTokenAt === undefined ? null : this.firstTokenAt - init.startedAt;
    const latencyMs = endedAt - init.startedAt;
    try {
      const recorded = store.transaction(() => {
        store.messages.update(init.assistantMessageId, {
          text: this.text,
          status,
          usage: usage ?? null,
          error: error ?? null,
          latencyMs,
          ttftMs,
        });
        if (init.ownsCallRow === false) {
          store.conversations.touch(init.conversationId, endedAt);
          return true;
        }
        const finished = store.calls.finish(init.callId, {
          ...usageColumns(usage),
          costUsd: init.costUsd !== undefined ? (usage === undefined ? null : init.costUsd(usage)) : init.provider === 'local' ? 0 : null,
          latencyMs,
          ttftMs,
          outcome,
          errorKind: error?.kind ?? null,
          errorMessage: error?.message ?? null,
          endedAt,
        });
        store.conversations.touch(init.conversationId, endedAt);
        return finished;
      });
      if (!recorded) init.log('error', `chat ${init.requestId}: its call row ${init.callId} was not in flight; its usage is not recorded`);
    } catch (cause) {
      // The reply was already streamed; losing its record must not break the caller.
      init.log('error', `could not record chat ${init.requestId}: ${cause instanceof Error ? cause.message : String(cause)}`);
    } finally {
      this.resolveSettled();
    }
  }

  private outcome(): { outcome: CallOutcome; status: MessageStatus; error: ProviderErrorData | undefined } {
    if (this.error !== undefined && this.error.kind !== 'aborted') {
      return { outcome: 'error', status: 'error', error: this.error };
    }
    if (this.finishReason === undefined && this.streamEnded && !this.signal.aborted) {
      const error = this.describedError('the model\'s stream ended without finishing');
      return { outcome: 'error', status: 'error', error };
    }
    // No finish part otherwise means an abort, or a consumer that stopped reading.
    if (this.error !== undefined || this.finishReason === undefined || this.finishReason.unified === 'aborted') {
      return { outcome: 'aborted', status: 'aborted', error: this.error };
    }
    if (this.finishReason.unified === 'error') {
      return { outcome: 'error', status: 'error', error: this.describedError('the model stopped with an error it did not describe') };
    }
    return { outcome: 'success', status: 'complete', error: undefined };
  }

  private describedError(what: string): ProviderErrorData {
    return { kind: 'server', message: `${this.init.model}: ${what}`, retryable: false, provider: this.init.provider };
  }

  private markFirstToken(): void {
    this.firstTokenAt ??= this.init.clock();
  }

  private flushText(): void {
    const now = this.init.clock();
    if (now - this.lastFlushAt < FLUSH_EVERY_MS) return;
    this.lastFlushAt = now;
    this.init.store.messages.update(this.init.assistantMessageId, { text: this.text });
  }
}
