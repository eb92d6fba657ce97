import { randomUUID } from 'node:crypto';
import { type z } from 'zod';
import { type ChatEvent, type chatContract } from '../../shared/contract';
import { type LocalModelEntry } from '../../shared/domain';
import { type LanguageModel, type ProviderErrorData, type StreamPart, type Usage, ProviderError, emptyUsage } from '../../shared/llm';
import { ContractFailure } from '../api/contract-failure';
import { type ModelLibrary } from '../models/library';
import { type AttemptRecord, type AttemptStart, type Router } from '../router';
import { type CallInterruption, type Store } from '../store';
import { buildSpecMessages } from './build-spec-messages';
import { ChatExchange } from './chat-exchange';
import { conversationTitle } from './conversation-title';
import { type Log, silentLog } from './log';
import { usageColumns } from './usage-columns';

export type ChatSendInput = z.output<(typeof chatContract)['chat.send']['input']>;

export interface ChatServiceDeps {
  store: Store;
  library: ModelLibrary;
  /** The model-spec view of a local model file (a LocalLanguageModel over the engine). */
  languageModelFor: (entry: LocalModelEntry) => LanguageModel;
  /**
   * A configured provider's model for a `provider/model` ref (`openai/gpt-4o-mini`), or undefined
   * for a ref that is the local library's (`local/…`, a bare name). Throws a ContractFailure for a
   * ref naming no known provider.
   */
  remoteModelFor?: (modelRef: string) => RemoteModel | undefined;
  /**
   * The router, when `model` names a configured group (`groups:` in switchboard.yaml); undefined
   * otherwise. A routed send writes one `calls` row per attempt of the router.
   */
  routerFor?: (model: string) => Router | undefined;
  clock: () => number;
  log?: Log;
  newId?: () => string;
}

/** A model of a configured (non-local) provider, as the registry resolved it. */
export interface RemoteModel {
  model: LanguageModel;
  /** The configured provider name (`openai`, `claude`): the calls row's provider. */
  provider: string;
  /** The model id at that provider (`gpt-4o-mini`): the calls row's model. */
  modelId: string;
  /** The ref as callers use it (`openai/gpt-4o-mini`): the conversation's model. */
  ref: string;
  /** The call's cost in USD from its usage, or null when unknown. */
  costUsd?: (usage: Usage) => number | null;
}

export interface ChatService {
  /**
   * Streams one exchange: `chat-start`, then the model's stream parts. The user
   * message, the assistant message and one `calls` row are written whatever
   * happens: a finish, an error, an abort, or a consumer that stops reading.
   * A `model` naming a configured group goes through the router instead: one
   * `calls` row per attempt (none when nothing could be attempted; the error
   * part then says why each deployment was dropped).
   */
  send(input: ChatSendInput, signal: AbortSignal, client?: string): AsyncIterable<ChatEvent>;
  /** Stops the send in flight in a conversation. False when there is none. */
  abort(conversationId: string): boolean;
  /** For shutdown: refuses new sends, aborts every send in flight and waits (a bounded time) until each is recorded. */
  abortAll(): Promise<void>;
  /**
   * Run once at startup. Messages a crash left `streaming` become `error` ("interrupted"), and call
   * rows it left in flight become `error` calls, in one transaction. Returns how many messages.
   */
  recoverInterrupted(): number;
}

/** How long abortAll waits for a stream to wind down before recording it as it stands. */
const ABORT_GRACE_MS = 3_000;
/** How long an aborted stream may take to end by itself before we stop reading it. */
const ABORT_CUTOFF_MS = 5_000;

export const INTERRUPTED_ERROR: ProviderErrorData = {
  kind: 'aborted',
  message: 'interrupted: Switchboard stopped before this reply finished',
  retryable: true,
};

/** How startup recovery closes a call row a crash left in flight. */
export const INTERRUPTED_CALL: CallInterruption = {
  // Not 'server' or 'connection': the provider did nothing wrong, and health or retry logic keyed on
  // those kinds must not blame a deployment for our own process dying. 'aborted' says the call was
  // cut off on Switchboard's side, the same kind the interrupted message carries; the outcome
  // 'error' (not 'aborted') says no one chose to stop it.
  errorKind: INTERRUPTED_ERROR.kind,
  errorMessage: 'interrupted: Switchboard stopped before this call finished',
};

export function createChatService(deps: ChatServiceDeps): ChatService {
  const { store, library, clock } = deps;
  const log = deps.log ?? silentLog;
  const newId = deps.newId ?? randomUUID;
  const inFlight = new Map<string, ChatExchange>();
  let shuttingDown = false;

  async function resolveModel(modelId: string): Promise<LocalModelEntry> {
    const entry = await library.resolve(modelId);
    if (entry === undefined) {
      const available = (await library.list()).map((e) => e.id);
      const hint =
        available.length > 0
          ? `available: ${available.join(', ')}`
          : `no local models found; put .gguf files in ${library.folders.join(', ')}`;
      throw new ContractFailure('NOT_FOUND', `unknown model "${modelId}"; ${hint}`, { available });
    }
    if (entry.error !== null) {
      throw new ContractFailure('UNAVAILABLE', `model "${entry.id}" cannot be used: ${entry.error}`, {
        model: entry.id,
        path: entry.path,
      });
    }
    return entry;
  }

  async function* send(input: ChatSendInput, signal: AbortSignal, client = 'unknown'): AsyncGenerator<ChatEvent> {
    if (shuttingDown) throw new ContractFailure('UNAVAILABLE', 'Switchboard is shutting down');
    const router = deps.routerFor?.(input.model);
    const remote = router === undefined ? deps.remoteModelFor?.(input.model) : undefined;
    const entry = router === undefined && remote === undefined ? await resolveModel(input.model) : undefined;
    if (shuttingDown) throw new ContractFailure('UNAVAILABLE', 'Switchboard is shutting down');
    if (input.conversationId !== undefined) {
      if (store.conversations.get(input.conversationId) === undefined) {
        throw new ContractFailure('NOT_FOUND', `no conversation "${input.conversationId}"`);
      }
      if (inFlight.has(input.conversationId)) {
        throw new ContractFailure('CONFLICT', 'a reply is still being written in this conversation; stop it or wait');
      }
    }
    if (signal.aborted) throw new ContractFailure('ABORTED', 'the send was aborted before it started');
    // Before anything is written: from the first write on, the try/finally below owns the records.
    const model = router !== undefined ? undefined : (remote?.model ?? deps.languageModelFor(entry as LocalModelEntry));
    // What the conversation and chat-start name (`local/tiny`, `openai/gpt-4o-mini`, a group name).
    const modelRef = router !== undefined ? input.model : (remote?.ref ?? (entry as LocalModelEntry).id);
    const provider = model === undefined ? 'router' : (remote?.provider ?? model.provider);

    const startedAt = clock();
    const conversationId = input.conversationId ?? newId();
    const userMessageId = newId();
    const assistantMessageId = newId();
    const requestId = newId();
    const exchange = new ChatExchange({
      store, clock, log, callId: newId(), requestId, conversationId, assistantMessageId,
      provider, model: remote?.modelId ?? modelRef, deployment: modelRef, client, startedAt,
      costUsd: remote?.costUsd, ownsCallRow: router === undefined,
    });
    const attempts = router === undefined ? undefined : attemptRecorder({ store, log, newId, requestId, conversationId, client });
    store.transaction(() => {
      if (input.conversationId === undefined) {
        store.conversations.create({ id: conversationId, title: conversationTitle(input.text), model: modelRef, createdAt: startedAt });
      }
      store.messages.insert({
        id: userMessageId, conversationId, role: 'user', text: input.text, model: null, status: 'complete', createdAt: startedAt,
      });
      store.messages.insert({
        id: assistantMessageId, conversationId, role: 'assistant', text: '', model: modelRef, status: 'streaming', createdAt: startedAt,
      });
      store.conversations.touch(conversationId, startedAt, modelRef);
      // The call row, in flight, with the message: a crash from here on leaves both for recovery.
      exchange.begin();
    });
    inFlight.set(conversationId, exchange);
    const onAbort = () => exchange.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let reader: ReadableStreamDefaultReader<StreamPart> | undefined;
    let readToEnd = false;
    let cutoff: NodeJS.Timeout | undefined;
    // A model that ignores its abort signal must not hold the exchange open forever.
    exchange.signal.addEventListener('abort', () => {
      cutoff = setTimeout(() => void reader?.cancel().catch(() => undefined), ABORT_CUTOFF_MS);
      cutoff.unref();
    }, { once: true });

    try {
      yield { type: 'chat-start', conversationId, userMessageId, assistantMessageId, requestId, model: modelRef };
      try {
        // Inside the try: whatever fails from here on is recorded on the call row already written.
        const history = store.messages.listByConversation(conversationId).filter((m) => m.id !== assistantMessageId);
        const messages = buildSpecMessages(history, { messageId: userMessageId, images: input.images });
        const options = {
          messages,
          system: input.system,
          maxOutputTokens: input.maxOutputTokens,
          temperature: input.temperature,
          abortSignal: exchange.signal,
        };
        const { stream } =
          router !== undefined
            ? await router.stream({ model: input.model, options, requestId, client, ...attempts })
            : await (model as LanguageModel).stream(options);
        reader = stream.getReader();
      } catch (error) {
        // Rejected before the stream existed. chat-start is out, so report it as parts.
        const aborted = exchange.signal.aborted;
        const data = ProviderError.from(error, { kind: aborted ? 'aborted' : 'server', provider }).toData();
        exchange.fail(data);
        yield { type: 'error', error: data };
        yield { type: 'finish', usage: emptyUsage(), finishReason: { unified: aborted ? 'aborted' : 'error' } };
        return;
      }
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          readToEnd = true;
          exchange.markStreamEnded();
          break;
        }
        exchange.observe(value);
        yield value;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!readToEnd && reader !== undefined) {
        // Left early: stop the model generating for nobody.
        exchange.abort();
        void reader.cancel().catch(() => undefined);
      }
      clearTimeout(cutoff);
      exchange.finalize();
      if (inFlight.get(conversationId) === exchange) inFlight.delete(conversationId);
    }
  }

  return {
    send,
    abort(conversationId) {
      const exchange = inFlight.get(conversationId);
      if (exchange === undefined) return false;
      exchange.abort();
      return true;
    },
    async abortAll() {
      shuttingDown = true;
      const exchanges = [...inFlight.values()];
      for (const exchange of exchanges) exchange.abort();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ABORT_GRACE_MS);
      });
      await Promise.race([Promise.all(exchanges.map((e) => e.settled)), grace]);
      clearTimeout(timer);
      // Whatever did not wind down in time (a consumer that stopped pulling) is recorded as it stands.
      for (const exchange of exchanges) exchange.finalize();
      inFlight.clear();
    },
    recoverInterrupted() {
      const { replies, calls } = store.transaction(() => ({
        replies: store.messages.failStreaming(INTERRUPTED_ERROR),
        calls: store.calls.failInFlight(INTERRUPTED_CALL),
      }));
      if (replies > 0) log('warn', `${replies} reply(ies) were interrupted by a previous shutdown and marked as errors`);
      if (calls > 0) log('warn', `${calls} call(s) were interrupted by a previous shutdown and recorded as errors`);
      return replies;
    },
  };
}

interface AttemptRecorderInit {
  store: Store;
  log: Log;
  newId: () => string;
  requestId: string;
  conversationId: string;
  client: string;
}

/**
 * A routed send's `calls` rows: one per router attempt, begun (in flight) when the attempt starts,
 * before its model is called, and finished when it ends. A crash in between leaves the row for
 * startup recovery.
 */
function attemptRecorder(init: AttemptRecorderInit): {
  onAttemptStart: (start: AttemptStart) => void;
  onAttempt: (record: AttemptRecord) => void;
} {
  const { store, log } = init;
  const rows = new Map<number, string>();
  const failed = (what: string, cause: unknown) =>
    log('error', `chat ${init.requestId}: could not ${what}: ${cause instanceof Error ? cause.message : String(cause)}`);
  return {
    onAttemptStart(start) {
      const id = init.newId();
      try {
        store.calls.begin({
          id,
          requestId: init.requestId,
          attempt: start.attempt,
          fallbackDepth: start.fallbackDepth,
          conversationId: init.conversationId,
          provider: start.provider,
          model: start.model,
          deployment: start.deploymentId,
          startedAt: start.startedAt,
          client: init.client,
        });
        rows.set(start.attempt, id);
      } catch (cause) {
        failed(`record attempt ${start.attempt}`, cause);
      }
    },
    onAttempt(record) {
      const id = rows.get(record.attempt);
      if (id === undefined) return;
      rows.delete(record.attempt);
      const { usage } = record;
      try {
        store.calls.finish(id, {
          ...usageColumns(usage),
          costUsd: record.costUsd ?? (record.provider === 'local' ? 0 : null),
          latencyMs: record.latencyMs,
          ttftMs: record.ttftMs ?? null,
          outcome: record.outcome,
          errorKind: record.error?.kind ?? null,
          errorMessage: record.error?.message ?? null,
          endedAt: record.startedAt + record.latencyMs,
        });
      } catch (cause) {
        failed(`finish the row of attempt ${record.attempt}`, cause);
      }
    },
  };
}
