import { type ProviderErrorData, type StreamPart } from '../../shared/llm';
import { type Store } from '../store';
import { type Log } from './log';
import { StreamTally } from './stream-tally';

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
  private readonly tally: StreamTally;
  private lastFlushAt: number;
  private finalized = false;
  private resolveSettled!: () => void;
  /** Resolves once the rows are written. */
  readonly settled = new Promise<void>((resolve) => {
    this.resolveSettled = resolve;
  });

  constructor(private readonly init: ChatExchangeInit) {
    this.lastFlushAt = init.startedAt;
    this.tally = new StreamTally(init.clock);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(): void {
    this.controller.abort();
  }

  observe(part: StreamPart): void {
    this.tally.observe(part);
    // Text and reasoning are saved now and then; tool calls are written once, with the final state.
    if (part.type === 'text-delta' || part.type === 'reasoning-delta') this.flushPartial();
  }

  /** The stream ran to its end (as opposed to being left early). */
  markStreamEnded(): void {
    this.tally.streamEnded = true;
  }

  /** A failure before or outside the stream's own parts. */
  fail(error: ProviderErrorData): void {
    this.tally.fail(error);
  }

  /** Writes the message's final state. Safe to call more than once; only the first counts. */
  finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    const init = this.init;
    const store = init.store;
    const endedAt = init.clock();
    const tally = this.tally;
    const { status, error } = tally.outcome(init.model, this.signal.aborted);
    const usage = tally.usage;
    const ttftMs = tally.ttftFrom(init.startedAt);
    const latencyMs = endedAt - init.startedAt;
    try {
      store.transaction(() => {
        store.messages.update(init.assistantMessageId, {
          text: tally.text,
          status,
          usage: usage ?? null,
          error: error ?? null,
          latencyMs,
          ttftMs,
          reasoning: tally.reasoning,
          toolCalls: tally.toolCalls,
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

  private flushPartial(): void {
    const now = this.init.clock();
    if (now - this.lastFlushAt < FLUSH_EVERY_MS) return;
    this.lastFlushAt = now;
    this.init.store.messages.update(this.init.assistantMessageId, { text: this.tally.text, reasoning: this.tally.reasoning });
  }
}
