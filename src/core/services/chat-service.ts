import { randomUUID } from 'node:crypto';
import { type z } from 'zod';
import { type ChatEvent, type chatContract } from '../../shared/contract';
import { type LocalModelEntry } from '../../shared/domain';
import { type ProviderErrorData, type StreamPart, ProviderError, emptyUsage } from '../../shared/llm';
import { ContractFailure } from '../api/contract-failure';
import { type ModelLibrary } from '../models/library';
import { type CallInterruption, type Store } from '../store';
import { type AssistantConfig } from '../config';
import { assistantCallSettings, joinSystemPrompts, mergeCallSettings } from './assistants-apply';
import { type AttachmentsService } from './attachments-service';
import { buildSpecMessages, loadAttachedImages } from './build-spec-messages';
import { ChatExchange } from './chat-exchange';
import { conversationTitle } from './conversation-title';
import { type Log, silentLog } from './log';
import { type RoutedCaller } from './routed-call';

export type ChatSendInput = z.output<(typeof chatContract)['chat.send']['input']>;

export interface ChatServiceDeps {
  store: Store;
  library: ModelLibrary;
  /** Every send goes through it: the router, and one `calls` row per attempt. */
  calls: RoutedCaller;
  /**
   * A configured provider's model for a `provider/model` ref (`openai/gpt-4o-mini`), or undefined
   * for a ref that is the local library's (`local/…`, a bare name). Throws a ContractFailure for a
   * ref naming no known provider. Used to refuse a bad ref before anything is written.
   */
  remoteModelFor?: (modelRef: string) => { ref: string } | undefined;
  /** True for names the router resolves itself (groups, aliases, `auto`): not checked here. */
  isRouted?: (model: string) => boolean;
  clock: () => number;
  log?: Log;
  /** Stored images: checks a send's attachment ids, and reads them back for the history. */
  attachments?: Pick<AttachmentsService, 'describe' | 'imagePart'>;
  /** The assistants of the config in force (assistants-service): a send's or its conversation's preset. */
  assistants?: { find(name: string): AssistantConfig | undefined; names(): string[] };
  newId?: () => string;
}

export interface ChatService {
  /**
   * Streams one exchange: `chat-start`, then the stream parts of the routed call, with an
   * `attempt` event as each attempt ends. The user message and the assistant message are written
   * whatever happens (a finish, an error, an abort, or a consumer that stops reading); the routed
   * caller writes the `calls` rows: one per attempt, or one request-level row when nothing could
   * be attempted (the error part then says why each deployment was dropped).
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
          : `no local models found; ${await library.placementHint()}`;
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

  /** Every id a send names must be a stored image before anything is written (NOT_FOUND otherwise). */
  async function describeAttachments(ids: readonly string[] | undefined) {
    if (ids === undefined || ids.length === 0) return undefined;
    if (deps.attachments === undefined) throw new ContractFailure('UNAVAILABLE', 'this host stores no attachments; send the text alone');
    return deps.attachments.describe(ids);
  }

  /**
   * The send's assistant (recorded on the conversation), else the conversation's own; one deleted
   * or renamed by hand no longer applies (the chat says it is gone). The model: the request's, else
   * the assistant's, else the conversation's last.
   */
  function chooseAssistantAndModel(input: ChatSendInput): { assistant: AssistantConfig | undefined; model: string } {
    const conversation = input.conversationId === undefined ? undefined : store.conversations.get(input.conversationId);
    if (input.conversationId !== undefined && conversation === undefined) throw new ContractFailure('NOT_FOUND', `no conversation "${input.conversationId}"`);
    let assistant: AssistantConfig | undefined;
    if (input.assistant !== undefined) {
      assistant = deps.assistants?.find(input.assistant);
      if (assistant === undefined) {
        const names = deps.assistants?.names() ?? [];
        throw new ContractFailure('NOT_FOUND', `no assistant named "${input.assistant}"; assistants: ${names.join(', ') || 'none (add one in Settings)'}`);
      }
    } else if (conversation?.assistant != null) {
      assistant = deps.assistants?.find(conversation.assistant);
    }
    const model = input.model ?? assistant?.model ?? conversation?.model ?? undefined;
    if (model === undefined) throw new ContractFailure('VALIDATION_FAILED', 'model: choose a model (or an assistant that names one)', { issues: [{ path: 'model', message: 'choose a model' }] });
    return { assistant, model };
  }

  async function* send(input: ChatSendInput, signal: AbortSignal, client = 'unknown'): AsyncGenerator<ChatEvent> {
    if (shuttingDown) throw new ContractFailure('UNAVAILABLE', 'Switchboard is shutting down');
    const { assistant, model } = chooseAssistantAndModel(input);
    // A bad ref is refused before anything is written; group names are the router's to resolve.
    const routed = deps.isRouted?.(model) === true;
    const remote = routed ? undefined : deps.remoteModelFor?.(model);
    const entry = routed || remote !== undefined ? undefined : await resolveModel(model);
    const attachments = await describeAttachments(input.attachments);
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
    // What the conversation and chat-start name (`local/tiny`, `openai/gpt-4o-mini`, a group name).
    const modelRef = routed ? model : (remote?.ref ?? (entry as LocalModelEntry).id);

    const startedAt = clock();
    const conversationId = input.conversationId ?? newId();
    const userMessageId = newId();
    const assistantMessageId = newId();
    const requestId = newId();
    const exchange = new ChatExchange({ store, clock, log, requestId, conversationId, assistantMessageId, model: modelRef, startedAt });
    // Each attempt's route, as it ends, goes out between the stream's parts.
    const attemptEvents: ChatEvent[] = [];
    store.transaction(() => {
      if (input.conversationId === undefined) {
        store.conversations.create({ id: conversationId, title: conversationTitle(input.text), model: modelRef, assistant: assistant?.name ?? null, createdAt: startedAt });
      } else if (input.assistant !== undefined && assistant !== undefined) {
        store.conversations.setAssistant(conversationId, assistant.name);
      }
      store.messages.insert({
        id: userMessageId, conversationId, role: 'user', text: input.text, model: null, status: 'complete', createdAt: startedAt, attachments,
      });
      store.messages.insert({
        id: assistantMessageId, conversationId, role: 'assistant', text: '', model: modelRef, status: 'streaming', createdAt: startedAt, requestId,
      });
      store.conversations.touch(conversationId, startedAt, modelRef);
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
        const attached = deps.attachments === undefined ? undefined : await loadAttachedImages(history, deps.attachments.imagePart);
        const messages = buildSpecMessages(history, { messageId: userMessageId, images: input.images }, attached);
        // The assistant's parameters, with this request's explicit ones on top; its prompt goes first.
        const options = {
          messages,
          ...mergeCallSettings(assistant === undefined ? {} : assistantCallSettings(assistant), {
            maxOutputTokens: input.maxOutputTokens,
            temperature: input.temperature,
          }),
          system: joinSystemPrompts(assistant?.system, input.system),
          abortSignal: exchange.signal,
        };
        // The routed caller writes the calls rows (one per attempt, begun before its model is asked).
        const { stream } = await deps.calls.stream({
          model: modelRef, options, requestId, client, conversationId,
          onAttempt: (attempt) => attemptEvents.push(attempt),
        });
        reader = stream.getReader();
      } catch (error) {
        // Nothing reached us: every attempt failed, or none could be made. chat-start is out, so report it as parts.
        yield* attemptEvents.splice(0);
        const aborted = exchange.signal.aborted;
        const data = ProviderError.from(error, { kind: aborted ? 'aborted' : 'server' }).toData();
        exchange.fail(data);
        yield { type: 'error', error: data };
        yield { type: 'finish', usage: emptyUsage(), finishReason: { unified: aborted ? 'aborted' : 'error' } };
        return;
      }
      for (;;) {
        const { done, value } = await reader.read();
        yield* attemptEvents.splice(0);
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
