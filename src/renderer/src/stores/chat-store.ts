import { createStore } from 'zustand/vanilla';
import type { ChunkOf, Contract } from '../../../shared/contract';
import type { AttachmentRef, ConversationSummary } from '../../../shared/domain';
import type { CallWarning } from '../../../shared/llm';
import { ContractCallError, type ContractClient, type ContractStream } from '../ipc';
import { type Scheduler, createDeltaBuffer } from './delta-buffer';
import { describeError } from './loadable';
import { type MessageView, fromChatMessage } from './message-view';

export interface SendInput {
  text: string;
  model: string;
  maxOutputTokens?: number;
  /** Stored images (attachments.put) to send with the text. */
  attachments?: readonly AttachmentRef[];
  /** The assistant a new conversation starts with (its prompt and parameters apply; the core records it). */
  assistant?: string;
}

export interface ChatState {
  /** The open conversation; null for a new chat not yet sent. */
  conversationId: string | null;
  /** Ids in order; changes only when a message is added, so the list doesn't re-render per token. */
  messageIds: string[];
  messages: Record<string, MessageView>;
  loading: boolean;
  loadError: string | null;
  /** The exchange being generated, if any. One at a time. */
  streaming: { assistantId: string; conversationId: string | null; stopping: boolean } | null;
  open(conversationId: string): Promise<void>;
  newChat(): void;
  send(input: SendInput): Promise<void>;
  stop(): void;
  /** Asks again: the answer and everything after it are deleted, then its question is sent to `model`. */
  regenerate(assistantId: string, options: Omit<SendInput, 'text' | 'attachments'>): Promise<void>;
  /** Replaces a question and everything after it with `text`, keeping its images, and sends it. */
  editAndResend(userId: string, input: SendInput): Promise<void>;
  /** Why the last regenerate or edit could not start (e.g. the conversation is busy); null when fine. */
  editError: string | null;
}

export interface ChatStoreDeps {
  client: ContractClient;
  now?: () => number;
  schedule?: Scheduler;
  /** A send created or continued a conversation (first chunk): the list can show it at once. */
  onConversationStarted?: (summary: ConversationSummary) => void;
  onConversationOpened?: (summary: ConversationSummary) => void;
  /** After every exchange, however it ended: totals and the conversation list have changed. */
  onExchangeFinished?: () => void;
}

type Chunk = ChunkOf<Contract['chat.send']>;

let localSeq = 0;

export function createChatStore(deps: ChatStoreDeps) {
  const now = deps.now ?? Date.now;
  let active: ContractStream<Chunk> | null = null;

  return createStore<ChatState>()((set, get) => {
    /** Updates one message if it is on screen; a stream keeps running when the user opens another chat. */
    const patch = (id: string, update: (message: MessageView) => Partial<MessageView>) => {
      set((state) => {
        const message = state.messages[id];
        if (message === undefined) return state;
        return { messages: { ...state.messages, [id]: { ...message, ...update(message) } } };
      });
    };

    const deltas = createDeltaBuffer((pending) => {
      set((state) => {
        let messages = state.messages;
        for (const [id, add] of pending) {
          const message = messages[id];
          if (message === undefined) continue;
          if (messages === state.messages) messages = { ...messages };
          messages[id] = { ...message, text: message.text + add.text, reasoning: message.reasoning + add.reasoning };
        }
        return messages === state.messages ? state : { messages };
      });
    }, deps.schedule);

    const rename = (from: string, to: string) => {
      if (from === to) return;
      set((state) => {
        const message = state.messages[from];
        if (message === undefined) return state;
        const messages = { ...state.messages, [to]: { ...message, id: to } };
        delete messages[from];
        return { messages, messageIds: state.messageIds.map((id) => (id === from ? to : id)) };
      });
    };

    const append = (...added: MessageView[]) =>
      set((state) => ({
        messageIds: [...state.messageIds, ...added.map((m) => m.id)],
        messages: { ...state.messages, ...Object.fromEntries(added.map((m) => [m.id, m])) },
      }));

    /**
     * The stored route of a reply just finished (cost, tokens by kind: what the calls rows say),
     * read back once the exchange is recorded: that message's alone, never the whole conversation.
     */
    const loadRoute = async (assistantId: string) => {
      if (assistantId.startsWith('pending-') || get().messages[assistantId] === undefined) return;
      const result = await deps.client.request('conversations.route', { messageId: assistantId });
      // On failure the live attempts stay; the route shows when the conversation is next opened.
      if (result.ok && result.data !== null) patch(assistantId, () => ({ route: result.data }));
    };

    /** Deletes `fromId` and what follows, in the core and here, then sends `input` in its place. */
    const truncateThenSend = async (fromId: string, input: SendInput) => {
      const { conversationId, streaming, messageIds } = get();
      if (conversationId === null || streaming !== null || !messageIds.includes(fromId)) return;
      set({ editError: null });
      const result = await deps.client.request('conversations.truncate', { conversationId, fromMessageId: fromId });
      if (get().conversationId !== conversationId) return;
      if (!result.ok) {
        set({ editError: describeError(result.error) });
        return;
      }
      set((state) => {
        const cut = state.messageIds.indexOf(fromId);
        if (cut < 0) return state;
        const messages = { ...state.messages };
        for (const id of state.messageIds.slice(cut)) delete messages[id];
        return { messageIds: state.messageIds.slice(0, cut), messages };
      });
      await get().send(input);
    };

    return {
      conversationId: null,
      messageIds: [],
      messages: {},
      loading: false,
      loadError: null,
      streaming: null,
      editError: null,

      async open(conversationId) {
        deltas.flush();
        set({ conversationId, messageIds: [], messages: {}, loading: true, loadError: null });
        const result = await deps.client.request('conversations.get', { id: conversationId });
        if (get().conversationId !== conversationId) return; // the user moved on meanwhile
        if (!result.ok) {
          set({ loading: false, loadError: describeError(result.error) });
          return;
        }
        const views = result.data.messages.map(fromChatMessage);
        set({
          loading: false,
          messageIds: views.map((m) => m.id),
          messages: Object.fromEntries(views.map((m) => [m.id, m])),
        });
        deps.onConversationOpened?.(result.data.conversation);
      },

      newChat() {
        deltas.flush();
        set({ conversationId: null, messageIds: [], messages: {}, loading: false, loadError: null });
      },

      async send({ text, model, maxOutputTokens, attachments = [], assistant }) {
        const prompt = text.trim();
        if (get().streaming !== null || (prompt === '' && attachments.length === 0) || model === '') return;
        const started = now();
        const seq = ++localSeq;
        let userId = `pending-user-${seq}`;
        let assistantId = `pending-assistant-${seq}`;
        const base = {
          reasoning: '', model, createdAt: started, usage: null, error: null, latencyMs: null, ttftMs: null, finishReason: null,
          attachments: [], toolCalls: [], warnings: [], attempts: [], route: null,
        };
        append(
          { ...base, id: userId, role: 'user', text: prompt, status: 'complete', attachments: [...attachments] },
          { ...base, id: assistantId, role: 'assistant', text: '', status: 'streaming' },
        );

        const conversationId = get().conversationId;
        const stream = deps.client.stream('chat.send', {
          ...(conversationId === null ? {} : { conversationId }),
          model,
          text: prompt,
          ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
          ...(attachments.length === 0 ? {} : { attachments: attachments.map((a) => a.id) }),
          ...(assistant === undefined ? {} : { assistant }),
        });
        active = stream;
        set({ streaming: { assistantId, conversationId, stopping: false } });

        try {
          for await (const chunk of stream) {
            switch (chunk.type) {
              case 'chat-start': {
                deltas.flush();
                rename(userId, chunk.userMessageId);
                rename(assistantId, chunk.assistantMessageId);
                userId = chunk.userMessageId;
                assistantId = chunk.assistantMessageId;
                patch(assistantId, () => ({ model: chunk.model }));
                set((state) => ({
                  conversationId: state.conversationId === conversationId ? chunk.conversationId : state.conversationId,
                  streaming: state.streaming && { ...state.streaming, assistantId, conversationId: chunk.conversationId },
                }));
                deps.onConversationStarted?.({
                  id: chunk.conversationId,
                  title: (prompt || 'Image').slice(0, 80),
                  model: chunk.model,
                  messageCount: 0,
                  createdAt: started,
                  updatedAt: now(),
                });
                break;
              }
              case 'text-delta':
              case 'reasoning-delta': {
                const id = assistantId;
                if (get().messages[id]?.ttftMs === null) patch(id, () => ({ ttftMs: now() - started }));
                deltas.append(id, chunk.type === 'text-delta' ? 'text' : 'reasoning', chunk.delta);
                break;
              }
              case 'stream-start': {
                if (chunk.warnings.length > 0) patch(assistantId, () => ({ warnings: chunk.warnings.map(describeWarning) }));
                break;
              }
              case 'attempt': {
                const { type: _type, ...attempt } = chunk;
                patch(assistantId, (message) => ({ attempts: [...message.attempts, attempt] }));
                break;
              }
              case 'tool-call': {
                deltas.flush();
                patch(assistantId, (message) => ({
                  toolCalls: [...message.toolCalls, { id: chunk.toolCallId, name: chunk.toolName, input: chunk.input }],
                }));
                break;
              }
              case 'error': {
                deltas.flush();
                patch(assistantId, () =>
                  chunk.error.kind === 'aborted'
                    ? { status: 'aborted' }
                    : { status: 'error', error: { kind: chunk.error.kind, message: chunk.error.message } },
                );
                break;
              }
              case 'finish': {
                deltas.flush();
                const reason = chunk.finishReason.unified;
                patch(assistantId, (message) => ({
                  usage: chunk.usage,
                  finishReason: reason,
                  latencyMs: now() - started,
                  status:
                    reason === 'aborted' || stream.aborted || message.status === 'aborted'
                      ? 'aborted'
                      : message.status === 'error' || reason === 'error'
                        ? 'error'
                        : 'complete',
                }));
                break;
              }
              default:
                break; // text-start/end, metadata: nothing to show
            }
          }
        } catch (error) {
          deltas.flush();
          const failure =
            error instanceof ContractCallError
              ? { kind: error.error.code, message: describeError(error.error) }
              : { kind: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
          patch(assistantId, () => ({ status: 'error', error: failure }));
        } finally {
          deltas.flush();
          patch(assistantId, (message) => ({
            latencyMs: message.latencyMs ?? now() - started,
            // the stream ended without a finish part: say how
            status: message.status === 'streaming' ? (stream.aborted ? 'aborted' : 'complete') : message.status,
          }));
          if (active === stream) active = null;
          set({ streaming: null });
          deps.onExchangeFinished?.();
          void loadRoute(assistantId);
        }
      },

      async regenerate(assistantId, options) {
        const { messageIds, messages } = get();
        const at = messageIds.indexOf(assistantId);
        const question = messageIds.slice(0, Math.max(0, at)).reverse().map((id) => messages[id]).find((m) => m?.role === 'user');
        if (at < 0 || question === undefined) return;
        await truncateThenSend(question.id, { ...options, text: question.text, attachments: question.attachments });
      },

      async editAndResend(userId, input) {
        await truncateThenSend(userId, input);
      },

      stop() {
        const streaming = get().streaming;
        if (streaming === null || active === null || streaming.stopping) return;
        set({ streaming: { ...streaming, stopping: true } });
        active.abort();
      },
    };
  });
}

export type ChatStore = ReturnType<typeof createChatStore>;

function describeWarning(warning: CallWarning): string {
  if (warning.type === 'other') return warning.message;
  return warning.details === undefined ? `${warning.feature} is not supported by this model` : `${warning.feature}: ${warning.details}`;
}
