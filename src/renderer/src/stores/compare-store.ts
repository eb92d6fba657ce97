import { createStore } from 'zustand/vanilla';
import type { ChunkOf, CompareColumnResult, CompareRun, Contract } from '../../../shared/contract';
import type { AttachmentRef } from '../../../shared/domain';
import { ContractCallError, type ContractClient, type ContractStream } from '../ipc';
import { type Scheduler, createDeltaBuffer } from './delta-buffer';
import { describeError } from './loadable';
import type { MessageView } from './message-view';

/** How many models a comparison takes (the contract's limits). */
export const MIN_COLUMNS = 2;
export const MAX_COLUMNS = 4;

export interface CompareInput {
  text: string;
  /** Stored images (attachments.put), sent to every column. */
  attachments?: readonly AttachmentRef[];
  maxOutputTokens?: number;
}

export interface CompareState {
  /** The models chosen for the next run, one per column (null: not chosen yet). */
  models: (string | null)[];
  /** The run on screen: live while it streams, or one picked from `recent`. */
  runId: string | null;
  prompt: string;
  attachments: AttachmentRef[];
  /** One answer per column, shown with the chat's message renderer and route line. */
  columns: MessageView[];
  running: boolean;
  /** Why the run could not start (bad input, the host gone); null when fine. */
  error: string | null;
  recent: CompareRun[];
  setModel(index: number, model: string): void;
  addColumn(): void;
  removeColumn(index: number): void;
  run(input: CompareInput): Promise<void>;
  /** Sends the prompt on screen to the chosen models again. */
  rerun(): Promise<void>;
  /** Stops one column, or every column. */
  stop(column?: number): void;
  /** A new conversation with the prompt and that column's answer; its id, or null (error set). */
  continueInChat(column: number): Promise<string | null>;
  loadRecent(): Promise<void>;
  /** Shows a recent run (after a reload, the core still has it). */
  show(runId: string): void;
  /** Deletes a stored run (the page confirms first); off the screen too when it was shown. False (error set) when refused. */
  remove(runId: string): Promise<boolean>;
}

export interface CompareStoreDeps {
  client: ContractClient;
  now?: () => number;
  schedule?: Scheduler;
  /** After every run: usage totals and the dashboard have new rows. */
  onRunFinished?: () => void;
  /** "Continue in chat" made this conversation: open it. */
  onContinued?: (conversationId: string) => void;
}

type Chunk = ChunkOf<Contract['compare.run']>;

const columnKey = (column: number) => `column-${column}`;

function pendingColumn(model: string, createdAt: number): MessageView {
  return {
    id: '', role: 'assistant', text: '', reasoning: '', status: 'streaming', model, createdAt, usage: null, error: null,
    latencyMs: null, ttftMs: null, finishReason: null, attachments: [], toolCalls: [], warnings: [], attempts: [], route: null,
  };
}

/** A column's final state as the core recorded it (used for `column-end` and for recent runs). */
function fromResult(result: CompareColumnResult, createdAt: number): MessageView {
  return {
    ...pendingColumn(result.model, createdAt),
    id: result.requestId,
    text: result.text,
    status: result.status,
    usage: result.usage,
    error: result.error === null ? null : { kind: result.error.kind, message: result.error.message },
    latencyMs: result.latencyMs,
    ttftMs: result.ttftMs,
    route: result.route,
  };
}

export function createCompareStore(deps: CompareStoreDeps) {
  const now = deps.now ?? Date.now;
  let active: ContractStream<Chunk> | null = null;

  return createStore<CompareState>()((set, get) => {
    const patch = (column: number, update: (view: MessageView) => Partial<MessageView>) =>
      set((state) => {
        const view = state.columns[column];
        if (view === undefined) return state;
        const columns = [...state.columns];
        columns[column] = { ...view, ...update(view) };
        return { columns };
      });

    const deltas = createDeltaBuffer((pending) => {
      set((state) => {
        const columns = [...state.columns];
        for (const [key, add] of pending) {
          const index = Number(key.slice('column-'.length));
          const view = columns[index];
          if (view !== undefined) columns[index] = { ...view, text: view.text + add.text, reasoning: view.reasoning + add.reasoning };
        }
        return { columns };
      });
    }, deps.schedule);

    const onEvent = (chunk: Chunk, started: number) => {
      switch (chunk.type) {
        case 'compare-start':
          set({ runId: chunk.runId });
          for (const c of chunk.columns) patch(c.column, () => ({ id: c.requestId }));
          return;
        case 'column-end':
          deltas.flush();
          // The core's record wins: its text is whole, and its route comes from the calls rows.
          patch(chunk.result.column, () => fromResult(chunk.result, started));
          return;
        case 'column': {
          const { column, event } = chunk;
          switch (event.type) {
            case 'text-delta':
            case 'reasoning-delta':
              if (get().columns[column]?.ttftMs === null) patch(column, () => ({ ttftMs: now() - started }));
              deltas.append(columnKey(column), event.type === 'text-delta' ? 'text' : 'reasoning', event.delta);
              return;
            case 'attempt': {
              const { type: _type, ...attempt } = event;
              patch(column, (view) => ({ attempts: [...view.attempts, attempt] }));
              return;
            }
            case 'error':
              deltas.flush();
              patch(column, () =>
                event.error.kind === 'aborted' ? { status: 'aborted' } : { status: 'error', error: { kind: event.error.kind, message: event.error.message } },
              );
              return;
            case 'finish':
              deltas.flush();
              patch(column, () => ({ usage: event.usage, finishReason: event.finishReason.unified, latencyMs: now() - started }));
              return;
            default:
              return;
          }
        }
      }
    };

    return {
      models: [null, null],
      runId: null,
      prompt: '',
      attachments: [],
      columns: [],
      running: false,
      error: null,
      recent: [],

      setModel(index, model) {
        set((state) => (index < state.models.length ? { models: state.models.map((m, i) => (i === index ? model : m)) } : state));
      },
      addColumn() {
        set((state) => (state.models.length >= MAX_COLUMNS ? state : { models: [...state.models, null] }));
      },
      removeColumn(index) {
        set((state) => (state.models.length <= MIN_COLUMNS ? state : { models: state.models.filter((_, i) => i !== index) }));
      },

      async run({ text, attachments = [], maxOutputTokens }) {
        const prompt = text.trim();
        const models = get().models;
        if (get().running) return;
        if (models.some((m) => m === null)) {
          set({ error: 'choose a model for every column' });
          return;
        }
        if (prompt === '' && attachments.length === 0) {
          set({ error: 'type a prompt (or attach an image) to compare' });
          return;
        }
        const chosen = models as string[];
        const started = now();
        deltas.flush();
        set({
          runId: null, prompt, attachments: [...attachments], error: null, running: true,
          columns: chosen.map((m) => pendingColumn(m, started)),
        });
        const stream = deps.client.stream('compare.run', {
          text: prompt,
          models: chosen,
          ...(attachments.length === 0 ? {} : { attachments: attachments.map((a) => a.id) }),
          ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
        });
        active = stream;
        try {
          for await (const chunk of stream) onEvent(chunk, started);
        } catch (error) {
          deltas.flush();
          const message = error instanceof ContractCallError ? describeError(error.error) : error instanceof Error ? error.message : String(error);
          // Refused before it started (no column-end will come): say so once, above the columns.
          if (get().runId === null) set({ error: message, columns: [] });
          else set((state) => ({ columns: state.columns.map((c) => (c.status === 'streaming' ? { ...c, status: 'error', error: { kind: 'INTERNAL', message } } : c)) }));
        } finally {
          deltas.flush();
          // A column the stream left without an end (the host went away, a stop): say how it ended.
          set((state) => ({
            running: false,
            columns: state.columns.map((c) => (c.status === 'streaming' ? { ...c, status: stream.aborted ? 'aborted' : 'error', latencyMs: c.latencyMs ?? now() - started } : c)),
          }));
          if (active === stream) active = null;
          deps.onRunFinished?.();
          void get().loadRecent();
        }
      },

      async rerun() {
        const { prompt, attachments } = get();
        await get().run({ text: prompt, attachments });
      },

      stop(column) {
        const { runId, running } = get();
        if (!running || active === null) return;
        if (column === undefined) {
          active.abort();
          return;
        }
        // One column: the core stops it; the others keep streaming on the same stream.
        if (runId !== null) void deps.client.request('compare.stop', { runId, column });
      },

      async continueInChat(column) {
        const runId = get().runId;
        if (runId === null) return null;
        const result = await deps.client.request('compare.continue', { runId, column });
        if (!result.ok) {
          set({ error: describeError(result.error) });
          return null;
        }
        deps.onContinued?.(result.data.conversationId);
        return result.data.conversationId;
      },

      async loadRecent() {
        const result = await deps.client.request('compare.recent', { limit: 10 });
        if (result.ok) set({ recent: result.data });
      },

      async remove(runId) {
        const result = await deps.client.request('compare.delete', { runId });
        // Deleted already (another window): what was asked for is true.
        if (!result.ok && result.error.code !== 'NOT_FOUND') {
          set({ error: describeError(result.error) });
          return false;
        }
        set((state) => ({
          recent: state.recent.filter((r) => r.runId !== runId),
          ...(state.runId === runId && !state.running && { runId: null, prompt: '', attachments: [], columns: [], error: null }),
        }));
        return true;
      },

      show(runId) {
        if (get().running) return;
        const found = get().recent.find((r) => r.runId === runId);
        if (found === undefined) return;
        set({
          runId: found.runId,
          prompt: found.text,
          attachments: found.attachments,
          error: null,
          models: found.columns.map((c) => c.model),
          columns: found.columns.map((c) => fromResult(c, found.createdAt)),
        });
      },
    };
  });
}

export type CompareStore = ReturnType<typeof createCompareStore>;
