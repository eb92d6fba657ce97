import { createStore } from 'zustand/vanilla';
import type { AssistantFields, AssistantView, AssistantsView, ContractError, Result } from '../../../../shared/contract';
import type { ConversationSummary } from '../../../../shared/domain';
import type { ContractClient } from '../../ipc';
import { type LoadStatus, describeError } from '../../stores/loadable';

/** A refused save or delete: what the host said, and the config paths it named (`assistants[0].temperature`). */
export interface AssistantsError {
  message: string;
  paths: string[];
}

/** What the chat shows for a conversation's assistant. */
export type AssistantChoice =
  | { kind: 'none' }
  | { kind: 'assistant'; assistant: AssistantView }
  /** The conversation names one that was deleted (or renamed by hand): it no longer applies. */
  | { kind: 'gone'; name: string };

export interface AssistantsState {
  assistants: AssistantView[];
  status: LoadStatus;
  loadError: string | null;
  /** The last refused save or delete; cleared by the next good one. */
  error: AssistantsError | null;
  saving: boolean;
  /** Why the last choice in the chat was refused (shown beside the picker), or null. */
  chooseError: string | null;
  /** The assistant a new conversation starts with (null: none). */
  draft: string | null;
  /** Each known conversation's assistant by id, as the core recorded it (null: none). */
  byConversation: Record<string, string | null>;
  load(): Promise<void>;
  /** Adds one, or edits `previousName`'s. True when saved. */
  save(assistant: AssistantFields, previousName?: string): Promise<boolean>;
  remove(name: string): Promise<boolean>;
  /**
   * Chooses the assistant for the open conversation (null: a new chat, whose first send carries it).
   * Returns the chosen assistant, so the caller can switch the model picker to its model.
   */
  choose(conversationId: string | null, name: string | null): Promise<AssistantView | null>;
  /** A conversation was opened: remember what it uses. */
  conversationOpened(summary: ConversationSummary): void;
  /** A send started a conversation: it got the draft assistant, unless it was known already. */
  conversationStarted(conversationId: string): void;
  clearError(): void;
}

function pathsOf(error: ContractError): string[] {
  const issues = (error.data as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((i) => (typeof (i as { path?: unknown }).path === 'string' ? [(i as { path: string }).path] : []));
}

/** The assistant of that name, ignoring case as the core does. */
export function findByName(assistants: readonly AssistantView[], name: string): AssistantView | undefined {
  const key = name.trim().toLowerCase();
  return assistants.find((a) => a.name.toLowerCase() === key);
}

/** What the chat shows for the open conversation (or the new chat's draft). */
export function choiceFor(state: Pick<AssistantsState, 'assistants' | 'draft' | 'byConversation'>, conversationId: string | null): AssistantChoice {
  const name = conversationId === null ? state.draft : (state.byConversation[conversationId] ?? null);
  if (name === null) return { kind: 'none' };
  const assistant = findByName(state.assistants, name);
  return assistant === undefined ? { kind: 'gone', name } : { kind: 'assistant', assistant };
}

export function createAssistantsStore(deps: { client: ContractClient }) {
  return createStore<AssistantsState>()((set, get) => {
    const edit = async (run: () => Promise<Result<AssistantsView>>): Promise<boolean> => {
      set({ saving: true });
      const result = await run();
      if (!result.ok) {
        set({ saving: false, error: { message: describeError(result.error), paths: pathsOf(result.error) } });
        return false;
      }
      set({ saving: false, error: null, status: 'ready', assistants: result.data.assistants });
      return true;
    };

    return {
      assistants: [],
      status: 'idle',
      loadError: null,
      error: null,
      saving: false,
      chooseError: null,
      draft: null,
      byConversation: {},

      async load() {
        set({ status: 'loading' });
        const result = await deps.client.request('assistants.list', {});
        if (!result.ok) {
          set({ status: 'error', loadError: describeError(result.error) });
          return;
        }
        set({ status: 'ready', loadError: null, assistants: result.data.assistants });
      },

      async save(assistant, previousName) {
        const saved = await edit(() =>
          deps.client.request('assistants.save', { assistant, ...(previousName === undefined ? {} : { previousName }) }),
        );
        // The core moved the conversations along with a rename; so does the page, and the draft.
        if (saved && previousName !== undefined && previousName !== assistant.name.trim()) {
          const to = assistant.name.trim();
          set((state) => ({
            draft: state.draft === previousName ? to : state.draft,
            byConversation: Object.fromEntries(Object.entries(state.byConversation).map(([id, name]) => [id, name === previousName ? to : name])),
          }));
        }
        return saved;
      },

      async remove(name) {
        const removed = await edit(() => deps.client.request('assistants.remove', { name }));
        if (removed && get().draft === name) set({ draft: null });
        return removed;
      },

      async choose(conversationId, name) {
        const assistant = name === null ? null : (findByName(get().assistants, name) ?? null);
        if (name !== null && assistant === null) {
          set({ chooseError: `no assistant named "${name}"; it may have been deleted` });
          return null;
        }
        if (conversationId === null) {
          set({ draft: assistant?.name ?? null, chooseError: null });
          return assistant;
        }
        const result = await deps.client.request('assistants.use', { conversationId, assistant: assistant?.name ?? null });
        if (!result.ok) {
          set({ chooseError: describeError(result.error) });
          return null;
        }
        set((state) => ({ chooseError: null, byConversation: { ...state.byConversation, [conversationId]: result.data.assistant ?? null } }));
        return assistant;
      },

      conversationOpened(summary) {
        set((state) => ({ byConversation: { ...state.byConversation, [summary.id]: summary.assistant ?? null } }));
      },

      conversationStarted(conversationId) {
        if (conversationId in get().byConversation) return;
        set((state) => ({ byConversation: { ...state.byConversation, [conversationId]: state.draft } }));
      },

      clearError() {
        set({ error: null });
      },
    };
  });
}

export type AssistantsStore = ReturnType<typeof createAssistantsStore>;
