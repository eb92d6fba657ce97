import { randomUUID } from 'node:crypto';
import { type z } from 'zod';
import { type CompareColumnResult, type CompareEvent, type CompareRun, type compareContract } from '../../shared/contract';
import { type AttachmentRef, type AttemptEvent } from '../../shared/domain';
import { type ImagePart, type Message, type ProviderErrorData, type StreamPart, ProviderError, emptyUsage } from '../../shared/llm';
import { ContractFailure } from '../api/contract-failure';
import { type StoredCompareColumn, type Store } from '../store';
import { type AttachmentsService } from './attachments-service';
import { CompareColumn } from './compare-column';
import { conversationTitle } from './conversation-title';
import { type Log, silentLog } from './log';
import { messageRoute } from './message-route';
import { type RoutedCaller } from './routed-call';

export type CompareRunInput = z.output<(typeof compareContract)['compare.run']['input']>;

/** The client every comparison's `calls` rows carry (the dashboard and rules see it). */
export const COMPARE_CLIENT = 'compare';

export interface CompareServiceDeps {
  calls: RoutedCaller;
  store: Store;
  clock: () => number;
  log?: Log;
  attachments?: Pick<AttachmentsService, 'describe' | 'imagePart'>;
  newId?: () => string;
  /** A run was deleted: the images only it referred to may now be swept. */
  onRunDeleted?: () => void;
  /** How many runs the database keeps (the newest; runs in flight are never dropped). Default 100. */
  keep?: number;
}

export interface CompareService {
  /**
   * `compare-start`, then each column's stream parts and attempt events tagged with its column,
   * and a `column-end` as each column ends. Columns are independent routed calls: an error or a
   * stop in one ends that column only. Aborting `signal` (or leaving the stream) stops them all.
   */
  run(input: CompareRunInput, signal: AbortSignal): AsyncIterable<CompareEvent>;
  /** Stops one column of a run, or every column; how many were still running. */
  stop(runId: string, column?: number): number;
  /** The latest runs (stored, so they outlive a reload and a restart), newest first, each column's route read from its `calls` rows. */
  recent(limit: number): CompareRun[];
  /** A new conversation with the run's prompt and one column's answer (its route stays linked). */
  toChat(runId: string, column: number): { conversationId: string };
  /** Deletes a stored run (not one in flight: stop it first); its `calls` rows stay. */
  remove(runId: string): { deleted: true };
  /** For shutdown: stops every run in flight and waits (a bounded time) for their columns to end. */
  abortAll(): Promise<void>;
  /** Run once at startup: columns a crash left `streaming` become errors ("interrupted"). Returns how many. */
  recoverInterrupted(): number;
}

/** A run in flight: its columns, to stop them and to show their text so far. */
interface RunState {
  runId: string;
  columns: CompareColumn[];
  settled: Promise<unknown>;
}

/** How long an aborted column's stream may take to end by itself before we stop reading it. */
const ABORT_CUTOFF_MS = 5_000;
const ABORT_GRACE_MS = 3_000;
/** How often a column's partial text is saved while it streams, so a crash keeps most of it. */
const FLUSH_EVERY_MS = 1_000;

const INTERRUPTED: ProviderErrorData = { kind: 'aborted', message: 'interrupted: Switchboard stopped before this answer finished', retryable: true };

export function createCompareService(deps: CompareServiceDeps): CompareService {
  const { calls, store, clock } = deps;
  const log = deps.log ?? silentLog;
  const newId = deps.newId ?? randomUUID;
  const keep = deps.keep ?? 100;
  const inFlight = new Map<string, RunState>();
  let shuttingDown = false;

  const failure = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

  function routeOf(requestId: string) {
    try {
      const rows = store.calls.listByRequest(requestId);
      return rows.length === 0 ? null : messageRoute(requestId, rows);
    } catch (cause) {
      log('warn', `compare ${requestId}: could not read its route: ${failure(cause)}`);
      return null;
    }
  }

  /** A column's state: live while it streams, else as stored. */
  function liveColumn(column: CompareColumn): StoredCompareColumn {
    const { status, error } = column.outcome();
    return {
      column: column.column, model: column.model, requestId: column.requestId, text: column.text, status, error,
      usage: column.usage ?? null, latencyMs: column.latencyMs, ttftMs: column.ttftMs,
    };
  }

  const withRoute = (column: StoredCompareColumn): CompareColumnResult => ({ ...column, route: routeOf(column.requestId) });

  /** Writes a column's state; a failed write is logged, never thrown into the stream. */
  function save(runId: string, column: CompareColumn, final: boolean): void {
    try {
      if (!final) store.compare.update(runId, column.column, { text: column.text });
      else {
        const { status, error } = column.outcome();
        store.compare.update(runId, column.column, {
          text: column.text, status, error, usage: column.usage ?? null, latencyMs: column.latencyMs, ttftMs: column.ttftMs,
        });
      }
    } catch (cause) {
      log('error', `compare ${runId}: could not save column ${column.column}: ${failure(cause)}`);
    }
  }

  async function images(ids: readonly string[] | undefined): Promise<{ refs: AttachmentRef[]; parts: ImagePart[] }> {
    if (ids === undefined || ids.length === 0) return { refs: [], parts: [] };
    const stored = deps.attachments;
    if (stored === undefined) throw new ContractFailure('UNAVAILABLE', 'this host stores no attachments; compare the text alone');
    const refs = await stored.describe(ids);
    return { refs, parts: await Promise.all(refs.map((ref) => stored.imagePart(ref))) };
  }

  async function* run(input: CompareRunInput, signal: AbortSignal): AsyncGenerator<CompareEvent> {
    if (shuttingDown) throw new ContractFailure('UNAVAILABLE', 'Switchboard is shutting down');
    const prompt = input.text.trim();
    if (prompt === '' && (input.attachments ?? []).length === 0) {
      throw new ContractFailure('VALIDATION_FAILED', 'type a prompt (or attach an image) to compare');
    }
    const attached = await images(input.attachments);
    if (signal.aborted) throw new ContractFailure('ABORTED', 'the comparison was aborted before it started');

    const createdAt = clock();
    const runId = newId();
    const columns = input.models.map((model, i) => new CompareColumn(i, model, newId(), createdAt, clock));
    const messages: Message[] = [{ role: 'user', content: [{ type: 'text', text: prompt }, ...attached.parts] }];

    // The columns push into one queue; the generator hands it out in arrival order.
    const queue: CompareEvent[] = [];
    let wake: (() => void) | undefined;
    const push = (event: CompareEvent) => {
      queue.push(event);
      wake?.();
    };

    async function pump(column: CompareColumn): Promise<void> {
      let flushedAt = createdAt;
      const tag = (event: StreamPart | AttemptEvent) =>
        push({ type: 'column', column: column.column, event });
      let reader: ReadableStreamDefaultReader<StreamPart> | undefined;
      let cutoff: NodeJS.Timeout | undefined;
      // A model that ignores its abort signal must not hold the column open forever.
      column.signal.addEventListener('abort', () => {
        cutoff = setTimeout(() => void reader?.cancel().catch(() => undefined), ABORT_CUTOFF_MS);
        cutoff.unref();
      }, { once: true });
      let readToEnd = false;
      try {
        const { stream } = await calls.stream({
          model: column.model,
          options: {
            messages,
            system: input.system,
            maxOutputTokens: input.maxOutputTokens,
            temperature: input.temperature,
            abortSignal: column.signal,
          },
          client: COMPARE_CLIENT,
          requestId: column.requestId,
          onAttempt: tag,
        });
        reader = stream.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          column.observe(value);
          tag(value);
          if (value.type === 'text-delta' && clock() - flushedAt >= FLUSH_EVERY_MS) {
            flushedAt = clock();
            save(runId, column, false);
          }
        }
        readToEnd = true;
        column.markStreamEnded();
      } catch (error) {
        // Nothing reached this column (or its stream broke): say so as parts, like chat does.
        const aborted = column.signal.aborted;
        const data = ProviderError.from(error, { kind: aborted ? 'aborted' : 'server' }).toData();
        column.fail(data);
        tag({ type: 'error', error: data });
        tag({ type: 'finish', usage: emptyUsage(), finishReason: { unified: aborted ? 'aborted' : 'error' } });
      } finally {
        clearTimeout(cutoff);
        if (!readToEnd && reader !== undefined) {
          column.abort();
          void reader.cancel().catch(() => undefined);
        }
        column.end();
        save(runId, column, true);
        push({ type: 'column-end', result: withRoute(liveColumn(column)) });
      }
    }

    const stopAll = () => {
      for (const column of columns) column.abort();
    };
    // Stored before any model is asked: a crash mid-run leaves the run, marked interrupted at the next start.
    store.compare.insert({ id: runId, text: prompt, attachments: attached.refs, createdAt, columns }, keep);
    signal.addEventListener('abort', stopAll, { once: true });
    const settled = Promise.allSettled(columns.map(pump));
    const state: RunState = { runId, columns, settled };
    inFlight.set(runId, state);
    void settled.then(() => inFlight.delete(runId));
    let open = columns.length;
    try {
      yield { type: 'compare-start', runId, createdAt, columns: columns.map((c) => ({ column: c.column, model: c.model, requestId: c.requestId })) };
      while (open > 0) {
        const event = queue.shift();
        if (event === undefined) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        if (event.type === 'column-end') open--;
        yield event;
      }
    } finally {
      signal.removeEventListener('abort', stopAll);
      // Left early (the consumer went away): stop the models generating for nobody.
      if (open > 0) stopAll();
    }
  }

  const notFound = (runId: string) => new ContractFailure('NOT_FOUND', `no comparison "${runId}" (only the latest ${keep} are kept)`);
  const noColumn = (runId: string, index: number, count: number) =>
    new ContractFailure('NOT_FOUND', `comparison "${runId}" has no column ${index} (it has ${count})`);

  return {
    run,
    stop(runId, column) {
      const found = inFlight.get(runId);
      if (found === undefined) {
        // Finished (nothing to stop) or unknown.
        if (store.compare.get(runId) === undefined) throw notFound(runId);
        return 0;
      }
      const target = column === undefined ? undefined : found.columns[column];
      if (column !== undefined && target === undefined) throw noColumn(runId, column, found.columns.length);
      const targets = target === undefined ? found.columns : [target];
      const running = targets.filter((c) => c.running && !c.signal.aborted);
      for (const c of running) c.abort();
      return running.length;
    },
    recent(limit) {
      return store.compare.listRecent(limit).map((run) => {
        const live = inFlight.get(run.id);
        const columns = run.columns.map((c) => {
          const current = live?.columns[c.column];
          return withRoute(current !== undefined && current.running ? liveColumn(current) : c);
        });
        return { runId: run.id, text: run.text, attachments: run.attachments, createdAt: run.createdAt, running: columns.some((c) => c.status === 'streaming'), columns };
      });
    },
    toChat(runId, index) {
      const found = store.compare.get(runId);
      if (found === undefined) throw notFound(runId);
      const stored = found.columns.find((c) => c.column === index);
      if (stored === undefined) throw noColumn(runId, index, found.columns.length);
      const current = inFlight.get(runId)?.columns[index];
      const result = current !== undefined && current.running ? liveColumn(current) : stored;
      if (result.status === 'streaming') throw new ContractFailure('CONFLICT', 'this answer is still being written; wait for it or stop it first');
      if (result.text === '') throw new ContractFailure('CONFLICT', `${result.model} gave no answer to continue from; pick a column with text`);
      const conversationId = newId();
      const assistantId = newId();
      const now = clock();
      store.transaction(() => {
        store.conversations.create({ id: conversationId, title: conversationTitle(found.text), model: result.model, createdAt: now });
        store.messages.insert({
          id: newId(), conversationId, role: 'user', text: found.text, model: null, status: 'complete', createdAt: found.createdAt, attachments: found.attachments,
        });
        store.messages.insert({
          id: assistantId, conversationId, role: 'assistant', text: result.text, model: result.model, status: result.status, createdAt: found.createdAt, requestId: result.requestId,
        });
        store.messages.update(assistantId, { usage: result.usage, error: result.error, latencyMs: result.latencyMs, ttftMs: result.ttftMs });
        store.conversations.touch(conversationId, now, result.model);
      });
      return { conversationId };
    },
    remove(runId) {
      if (inFlight.get(runId)?.columns.some((c) => c.running) === true) throw new ContractFailure('CONFLICT', 'this comparison is still running; stop it first');
      if (!store.compare.delete(runId)) throw notFound(runId);
      deps.onRunDeleted?.();
      return { deleted: true };
    },
    recoverInterrupted() {
      const columns = store.compare.failStreaming(INTERRUPTED);
      if (columns > 0) log('warn', `${columns} compare column(s) were interrupted by a previous shutdown and marked as errors`);
      return columns;
    },
    async abortAll() {
      shuttingDown = true;
      const running = [...inFlight.values()];
      for (const r of running) for (const c of r.columns) c.abort();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ABORT_GRACE_MS);
      });
      await Promise.race([Promise.all(running.map((r) => r.settled)), grace]);
      clearTimeout(timer);
    },
  };
}
