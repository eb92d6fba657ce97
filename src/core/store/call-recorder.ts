import type Database from 'better-sqlite3';
import {
  type CallEnd,
  type CallRecord,
  type CallStart,
  type CallWrite,
  type CallsRepository,
  type DirectCallsRepository,
  beginWrite,
  finishWrite,
  insertWrite,
} from './calls-repository';
import { type CallWriterThread, startCallWriterThread } from './call-writer-thread';

/** Where the store reports what an operator should read (a flush that failed, rows it had to change). */
export type StoreLog = (level: 'warn' | 'error', message: string) => void;

/**
 * `store.calls` with write-behind: `begin`, `finish` and `insert` are queued and written together,
 * in one transaction, `flushWindowMs` (2 ms) after the first of them was queued. Each commit
 * writes every dirty page of the table and its indexes to the WAL, so one commit shared by all the
 * calls of the window costs little more than one call's; and on a sequential path the write happens
 * after the request's own work, off its critical path.
 *
 * A begin writes the call's row in flight (`calls_in_flight`, a small table); its finish moves it to
 * `calls`, whole. A begin and a finish of the same call queued in the same window become one INSERT
 * of the finished row into `calls`. The window is what makes that the common case: a gateway call
 * to a fast upstream takes well under 2 ms, and flushing at the end of each loop turn instead wrote
 * its begin and its finish in two commits (the recording was then a third of the gateway's CPU per
 * request sequentially, a fifth at 10 connections).
 *
 * Per call this is on the path of every request, so the queue holds the caller's objects as they
 * are (no merged record per call) and the statements bind positional values.
 *
 * The queue is written before anything else touches the store (`flush`, called by open-store
 * before every other repository's method, every read of calls, and every `store.transaction`),
 * so reads see every call recorded before them and writes keep their order (a conversation
 * deleted after a call began is deleted after its row exists). Inside a `store.transaction` a
 * call is recorded at once, in that transaction, atomic with it.
 *
 * Once the store has recorded in earnest (`writerThread`), each window is committed by a worker
 * thread on its own connection (call-writer-thread.ts); a synchronous flush first waits for it,
 * and what it cannot write comes back here, in order.
 *
 * Durability: a kill -9 loses the operations queued in the last `flushWindowMs` and the batch the
 * thread is committing (plus, while the disk refuses writes, what waits for a retry); `synchronous=NORMAL` in WAL already loses the
 * last commits on power loss. A normal exit (`close()`, or the process's `exit` event) writes the
 * queue. Rows a crash left in flight are marked interrupted at the next start (`failInFlight`).
 */
export interface CallRecorder {
  readonly calls: CallsRepository;
  /** Writes the queue now. False when it could not (logged; kept for a retry). */
  flush(): boolean;
  /** Operations waiting to be written. */
  pending(): number;
  /** Writes the queue and stops the timers; the connection stays the caller's to close. */
  close(): void;
}

export interface CallRecorderOptions {
  log: StoreLog;
  /** First retry delay after a failed flush; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How long after the first queued operation the queue is written (default 2 ms; 0: at the end of the loop turn). */
  flushWindowMs?: number;
  /** Told how many operations each successful flush wrote (open-store starts WAL checkpointing off-thread on it). */
  afterFlush?: (operations: number) => void;
  /**
   * Where the writer thread (call-writer-thread.ts) opens its own connection to the database, and
   * after how many operations written it starts (default 500: most stores, in tests above all, write
   * too little to need one). Without it, everything is written on `db`'s connection.
   */
  writerThread?: { path: string; nativeBinding?: string | undefined; busyTimeoutMs: number; after?: number };
}

/** A begun call not written yet; `end` is set when it finishes before the flush. */
interface BeginOp {
  kind: 'begin';
  start: CallStart;
  end: CallEnd | undefined;
}
interface RowOp {
  kind: 'row';
  record: CallRecord;
}
type Op = BeginOp | RowOp | { kind: 'finish'; id: string; end: CallEnd };

const DEFAULT_FLUSH_WINDOW_MS = 2;
const DEFAULT_THREAD_AFTER = 500;

const toWrite = (op: Op): CallWrite =>
  op.kind === 'begin' ? beginWrite(op.start, op.end) : op.kind === 'row' ? insertWrite(op.record) : finishWrite(op.id, op.end);
const noRowInFlight = (id: string) => `call ${id}: its finish found no row in flight; nothing was changed`;

// One `exit` listener for every open recorder: a normal exit writes what is queued.
const openRecorders = new Set<CallRecorder>();
let exitHooked = false;
function flushAllOnExit(): void {
  for (const recorder of openRecorders) recorder.flush();
}

/** `direct` writes at once (calls-repository); the recorder queues in front of it. */
export function createCallRecorder(db: Database.Database, direct: DirectCallsRepository, options: CallRecorderOptions): CallRecorder {
  const { log } = options;
  const retryMs = options.retryMs ?? 50;
  const maxRetryMs = options.maxRetryMs ?? 5_000;
  let queue: Op[] = [];
  // Queued calls still in flight, by id: a finish queued before they are written lands on them.
  const queuedInFlight = new Map<string, BeginOp | RowOp>();
  // Rows begun by this process and not finished: their finish can be queued without a look-up.
  const inFlight = new Set<string>();
  const flushWindowMs = options.flushWindowMs ?? DEFAULT_FLUSH_WINDOW_MS;
  /** Cancels the scheduled flush; undefined when none is. */
  let scheduled: (() => void) | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = retryMs;
  let failures = 0;
  let closed = false;

  // Writes handed to the thread, once it runs; before, or if it cannot, all are written here.
  // A thread that ended stays here: its `post` refuses, and it is not started again.
  let thread: CallWriterThread<Op> | undefined;
  let threadTried = false;
  let written = 0;
  const afterWrite = (operations: number) => {
    written += operations;
    options.afterFlush?.(operations);
    const wanted = options.writerThread;
    if (wanted !== undefined && !threadTried && !closed && written >= (wanted.after ?? DEFAULT_THREAD_AFTER)) {
      startThread(wanted);
    }
  };

  const apply = (op: Op) => {
    if (!direct.write(toWrite(op)) && op.kind === 'finish') log('warn', noRowInFlight(op.id));
  };
  const writeBatch = db.transaction((ops: readonly Op[]) => {
    for (const op of ops) apply(op);
  });
  // After a constraint error: each operation in its own savepoint, so one bad row cannot hold back the others.
  const writeOneByOne = db.transaction((ops: readonly Op[]) => {
    for (const op of ops) {
      try {
        writeBatch([op]);
      } catch (error) {
        if (!isConstraint(error)) throw error;
        salvage(op, error);
      }
    }
  });

  function salvage(op: Op, error: unknown): void {
    const what = op.kind === 'finish' ? `the finish of call ${op.id}` : `call ${op.kind === 'row' ? op.record.id : op.start.id}`;
    const conversationId = op.kind === 'finish' ? null : op.kind === 'row' ? op.record.conversationId : op.start.conversationId;
    // The conversation was deleted before the row got written: keep the call (its cost counts) without it,
    // as deleting the conversation afterwards would have left it.
    if (op.kind !== 'finish' && conversationId !== null && codeOf(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      try {
        writeBatch([
          op.kind === 'row'
            ? { kind: 'row', record: { ...op.record, conversationId: null } }
            : { kind: 'begin', start: { ...op.start, conversationId: null }, end: op.end },
        ]);
        log('warn', `${what}: conversation ${conversationId} no longer exists; recorded without it`);
        return;
      } catch (again) {
        if (!isConstraint(again)) throw again;
        error = again;
      }
    }
    log('error', `${what} could not be recorded and was dropped: ${messageOf(error)}`);
  }

  function schedule(): void {
    if (scheduled !== undefined || retry !== undefined || closed) return;
    const run = () => {
      scheduled = undefined;
      if (thread === undefined || !post()) flush();
    };
    if (flushWindowMs > 0) {
      const timer = setTimeout(run, flushWindowMs);
      scheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(run);
      scheduled = () => clearImmediate(immediate);
    }
  }

  function enqueue(op: Op): void {
    // As a closed connection would: the caller logs it (nothing is queued that could never be written).
    if (closed) throw new Error('the store is closed; the call was not recorded');
    queue.push(op);
    schedule();
  }

  /** Hands the queue to the thread; false when it is gone (the caller writes it here). */
  function post(): boolean {
    if (queue.length === 0 || thread === undefined) return true;
    const batch = queue;
    if (!thread.post(batch, batch.map(toWrite))) return false;
    queue = [];
    // Their values are taken: a finish from now on is queued as one of its own.
    forgetQueued(batch);
    return true;
  }

  function forgetQueued(batch: readonly Op[]): void {
    if (queuedInFlight.size === 0) return;
    for (const op of batch) {
      if (op.kind === 'finish') continue;
      const id = op.kind === 'begin' ? op.start.id : op.record.id;
      if (queuedInFlight.get(id) === op) queuedInFlight.delete(id);
    }
  }

  function startThread(wanted: NonNullable<CallRecorderOptions['writerThread']>): void {
    const started = startCallWriterThread<Op>({
      ...wanted,
      log,
      onCommitted(count, missing) {
        for (const id of missing) log('warn', noRowInFlight(id));
        if (count > 0) afterWrite(count);
      },
      onReturned(items, why, ended) {
        log(
          'warn',
          ended
            ? `${why}; calls are written on the store's connection from now on${items.length > 0 ? ` (${items.length} operation(s) handed back)` : ''}`
            : `the call writer thread could not write a batch of calls (${why}); the store's connection writes it`,
        );
        if (items.length === 0) return;
        // Before anything queued since, as they were handed over before it.
        queue = items.concat(queue);
        flush();
      },
    });
    threadTried = true;
    thread = started.thread;
    if (thread === undefined) log('warn', `could not start the call writer thread (${started.why ?? 'unknown'}); calls are written on the store's connection`);
  }

  function flush(): boolean {
    if (thread !== undefined && thread.pending() > 0) {
      // Every batch handed over is written (or back in the queue) before anything else.
      const back = thread.drain();
      if (back.length > 0) queue = back.concat(queue);
    }
    if (queue.length === 0) return true;
    if (!db.open) return false;
    const batch = queue;
    queue = [];
    try {
      try {
        writeBatch.immediate(batch);
      } catch (error) {
        if (!isConstraint(error)) throw error;
        writeOneByOne.immediate(batch);
      }
    } catch (error) {
      // Busy, disk full, I/O: keep everything, in order, and try again later.
      queue = batch.concat(queue);
      failures++;
      log('error', `could not record ${batch.length} call operation(s) (attempt ${failures}; retrying in ${delay} ms): ${messageOf(error)}`);
      if (retry === undefined && !closed) {
        retry = setTimeout(() => {
          retry = undefined;
          flush();
        }, delay);
        retry.unref();
        delay = Math.min(maxRetryMs, delay * 2);
      }
      return false;
    }
    forgetQueued(batch);
    if (failures > 0) log('warn', `recorded the ${batch.length} call operation(s) that had waited after ${failures} failed attempt(s)`);
    failures = 0;
    delay = retryMs;
    afterWrite(batch.length);
    return true;
  }

  /** Inside a caller's transaction: write at once (after the queue, to keep the order), atomic with it. */
  const inCallerTransaction = () => db.inTransaction && (flush(), true);

  function queueRow(record: CallRecord): void {
    // The schema's CHECK, caught here so the caller still gets the error (a queued row would fail later).
    if (record.outcome === null && record.endedAt !== null) {
      throw new Error(`call ${record.id}: it has an end time (${record.endedAt}) but no outcome; a call that ended needs one`);
    }
    if (inCallerTransaction()) return direct.insert(record);
    const op: RowOp = { kind: 'row', record };
    enqueue(op);
    if (record.outcome === null) {
      queuedInFlight.set(record.id, op);
      inFlight.add(record.id);
    }
  }

  function queueBegin(start: CallStart): void {
    if (inCallerTransaction()) return direct.begin(start);
    const op: BeginOp = { kind: 'begin', start, end: undefined };
    enqueue(op);
    queuedInFlight.set(start.id, op);
    inFlight.add(start.id);
  }

  const flushed = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R => {
    flush();
    return fn(...args);
  };

  const calls: CallsRepository = {
    begin(call: CallStart) {
      queueBegin(call);
    },
    insert(call: CallRecord) {
      queueRow({ ...call });
    },
    finish(id, end) {
      if (inCallerTransaction()) {
        inFlight.delete(id);
        return direct.finish(id, end);
      }
      const queued = queuedInFlight.get(id);
      if (queued !== undefined) {
        // Not written yet: the row goes in finished.
        if (queued.kind === 'begin') queued.end = end;
        else Object.assign(queued.record, end);
        queuedInFlight.delete(id);
        inFlight.delete(id);
        return true;
      }
      if (inFlight.delete(id)) {
        enqueue({ kind: 'finish', id, end });
        return true;
      }
      // Not begun by this process: only the database knows whether it is in flight.
      flush();
      return direct.finish(id, end);
    },
    failInFlight: flushed((interruption) => direct.failInFlight(interruption)),
    list: flushed((range) => direct.list(range)),
    listByRequest: flushed((requestId) => direct.listByRequest(requestId)),
    listAttemptsSince: flushed((from) => direct.listAttemptsSince(from)),
    summary: flushed((range) => direct.summary(range)),
  };

  const recorder: CallRecorder = {
    calls,
    flush,
    pending: () => queue.length + (thread?.pending() ?? 0),
    close() {
      if (closed) return;
      if (!flush() && queue.length > 0) log('error', `${queue.length} call operation(s) could not be recorded before the store closed`);
      closed = true;
      thread?.stop();
      scheduled?.();
      if (retry !== undefined) clearTimeout(retry);
      scheduled = undefined;
      retry = undefined;
      openRecorders.delete(recorder);
    },
  };
  openRecorders.add(recorder);
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', flushAllOnExit);
  }
  return recorder;
}

function codeOf(error: unknown): string | undefined {
  const code: unknown = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** A row the schema refuses: retrying cannot help, unlike busy, full or I/O errors. */
function isConstraint(error: unknown): boolean {
  return codeOf(error)?.startsWith('SQLITE_CONSTRAINT') === true;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
