import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { StoreLog } from './call-recorder';
import { CALL_WRITE_SQL, type CallWrite } from './calls-repository';

/**
 * The recorder's writes on a thread of their own: a second connection to the same database, on a
 * worker thread, commits each batch the recorder hands it. On the gateway's path (a fast upstream
 * at 10 connections) those commits were about an eighth of the event loop's CPU per request, and
 * in the desktop app they stall the main process that serves the window.
 *
 * Order and "nothing lost" are the recorder's rules, kept here:
 * - batches commit in the order they were posted, one transaction each;
 * - a batch that fails (busy past the timeout, disk full, a constraint) is not retried here: the
 *   thread skips every batch after it until the recorder takes them all back (`onReturned`, or
 *   `drain`) and writes them itself, in order, with its own retries and salvage;
 * - `drain` blocks until the thread has handled everything posted, so the recorder's synchronous
 *   flush (before reads, other writes, close and exit) still means "every call is in the database".
 * If the thread cannot start, dies or hangs, what it had not committed goes back to the recorder.
 */
export interface CallWriterThread<T> {
  /** Hands a batch over (`items` are the caller's, returned if not written). False when the thread is gone. */
  post(items: T[], writes: CallWrite[]): boolean;
  /**
   * Blocks until the thread has handled every batch posted, and returns, in order, the items of
   * those it did not commit (a failure, or the thread is gone): the caller writes them itself.
   */
  drain(): T[];
  /** Items posted and not yet known to be committed. */
  pending(): number;
  /** Closes the thread's connection (waits briefly); call `drain` first. */
  stop(): void;
}

export interface CallWriterThreadOptions<T> {
  path: string;
  nativeBinding?: string | undefined;
  busyTimeoutMs: number;
  /** A batch is in the database: how many items, and the ids of finishes that found no row in flight. */
  onCommitted(count: number, missing: readonly string[]): void;
  /**
   * Batches the thread will not write, in order, for the caller to write before anything it queued
   * since. `ended`: the thread is gone (it is not started again); otherwise one batch failed.
   */
  onReturned(items: T[], why: string, ended: boolean): void;
  log: StoreLog;
}

// Slots of the shared state (BigInt64, so sequence numbers never wrap).
const PROCESSED = 0;
const COMMITTED = 1;
const FAILED = 2;
const ENDED = 3;

/** How long `drain` waits past the busy timeout before it gives up on a thread that does not answer. */
const DRAIN_GRACE_MS = 5_000;

type Reply = { seq: number; missing: string[] } | { seq: number; error: string };

/**
 * Plain CommonJS evaluated as the worker (`eval: true`, like checkpointer.ts): it runs the same from
 * the sources and from the bundled main process. The statements come from calls-repository.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const state = new BigInt64Array(workerData.state);
let db;
function end() {
  try { if (db && db.open) db.close(); } finally {
    Atomics.store(state, ${ENDED}, 1n);
    Atomics.notify(state, ${PROCESSED});
    Atomics.notify(state, ${ENDED});
  }
}
try {
  const Database = require(workerData.modulePath);
  db = new Database(workerData.path, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
  const sql = workerData.sql;
  const rows = { begin: db.prepare(sql.begin), insert: db.prepare(sql.insert), insertInFlight: db.prepare(sql.insertInFlight) };
  const finish = db.prepare(sql.finishFromInFlight);
  const remove = db.prepare(sql.deleteInFlight);
  const writeBatch = db.transaction((writes) => {
    const missing = [];
    for (const w of writes) {
      if (w.kind !== 'finish') { rows[w.kind].run(...w.values); continue; }
      const id = w.values[w.values.length - 1];
      if (finish.run(...w.values).changes === 1) remove.run(id); else missing.push(id);
    }
    return missing;
  });
  let failed = 0;
  parentPort.on('message', (m) => {
    if (m.type === 'close') { end(); parentPort.close(); return; }
    if (m.type === 'resume') { if (failed === m.seq) { failed = 0; Atomics.store(state, ${FAILED}, 0n); } return; }
    // Only news is sent: a plain commit or a skipped batch is in the shared marks (a message per
    // batch costs the recorder's thread).
    let reply;
    if (failed === 0) {
      try {
        const missing = writeBatch.immediate(m.writes);
        Atomics.store(state, ${COMMITTED}, BigInt(m.seq));
        if (missing.length > 0) reply = { seq: m.seq, missing };
      } catch (error) {
        failed = m.seq;
        Atomics.store(state, ${FAILED}, BigInt(m.seq));
        reply = { seq: m.seq, error: error && error.message ? error.message : String(error) };
      }
    }
    Atomics.store(state, ${PROCESSED}, BigInt(m.seq));
    Atomics.notify(state, ${PROCESSED});
    if (reply) parentPort.postMessage(reply);
  });
} catch (error) {
  end();
  throw error;
}
`;

/** Starts the thread; undefined (and `why` says so) where it cannot run or this thread may not block on it. */
export function startCallWriterThread<T>(options: CallWriterThreadOptions<T>): { thread?: CallWriterThread<T>; why?: string } {
  const state = new BigInt64Array(new SharedArrayBuffer(4 * BigInt64Array.BYTES_PER_ELEMENT));
  try {
    // `drain` must block; where a thread may not (a browser-like main thread), keep writing inline.
    Atomics.wait(state, ENDED, 1n, 0);
  } catch {
    return { why: 'this thread may not wait on another' };
  }
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Plain CommonJS: none of the parent's loaders (tsx, vitest) are needed.
      execArgv: [],
      workerData: {
        modulePath: createRequire(import.meta.url).resolve('better-sqlite3'),
        path: options.path,
        nativeBinding: options.nativeBinding,
        busyTimeoutMs: options.busyTimeoutMs,
        sql: CALL_WRITE_SQL,
        state: state.buffer,
      },
    });
  } catch (error) {
    return { why: error instanceof Error ? error.message : String(error) };
  }
  // A background helper: it must not keep the process alive (exit writes what is queued, see the recorder).
  worker.unref();

  let seq = 0;
  let alive = true;
  let stopping = false;
  let posted: Array<{ seq: number; items: T[] }> = [];
  /** The failed batch whose batches were last taken back (a failure is handled once). */
  let takenBack = 0;
  const load = (slot: number) => Number(Atomics.load(state, slot));

  /** Batches up to the committed mark are in the database. */
  function settleCommitted(): void {
    const committed = load(COMMITTED);
    let n = 0;
    while (n < posted.length && (posted[n]?.seq ?? Infinity) <= committed) n++;
    if (n === 0) return;
    const done = posted.slice(0, n);
    posted = posted.slice(n);
    for (const batch of done) options.onCommitted(batch.items.length, []);
  }

  /** After a failure: every batch from the failed one on (the thread skips them) comes back. */
  function takeBackFailed(): T[] {
    const failed = load(FAILED);
    if (failed === 0 || failed === takenBack) return [];
    takenBack = failed;
    const back = posted.filter((b) => b.seq >= failed);
    posted = posted.filter((b) => b.seq < failed);
    // Posted after the batches it skips: the thread writes again from the next batch on.
    worker.postMessage({ type: 'resume', seq: failed });
    return back.flatMap((b) => b.items);
  }

  function takeBackAll(): T[] {
    settleCommitted();
    const back = posted.flatMap((b) => b.items);
    posted = [];
    return back;
  }

  function gone(why: string): void {
    if (!alive) return;
    alive = false;
    const back = takeBackAll();
    if (!stopping || back.length > 0) options.onReturned(back, why, true);
  }

  worker.on('message', (reply: Reply) => {
    if ('missing' in reply) {
      const i = posted.findIndex((b) => b.seq === reply.seq);
      // Batches commit in order: this one and any before it still listed (settled by a drain otherwise).
      const done = i >= 0 ? posted.splice(0, i + 1) : [];
      if (done.length > 0 || reply.missing.length > 0) options.onCommitted(done.reduce((n, b) => n + b.items.length, 0), reply.missing);
    } else if ('error' in reply) {
      // Empty when a drain already took them back (and the caller wrote them): still worth a line.
      options.onReturned(takeBackFailed(), reply.error, false);
    }
  });
  // The first line: a module that failed to load lists its whole require stack after it.
  worker.on('error', (error) => gone(`the call writer thread failed: ${error.message.split('\n')[0] ?? ''}`));
  worker.on('exit', (code) => gone(`the call writer thread ended (${code})`));

  return {
    thread: {
      post(items, writes) {
        if (!alive) return false;
        settleCommitted();
        seq += 1;
        posted.push({ seq, items });
        worker.postMessage({ type: 'write', seq, writes });
        return true;
      },
      drain() {
        if (posted.length === 0) return [];
        const last = posted[posted.length - 1]?.seq ?? 0;
        const deadline = Date.now() + options.busyTimeoutMs + DRAIN_GRACE_MS;
        while (alive && load(PROCESSED) < last && load(ENDED) === 0) {
          const left = deadline - Date.now();
          if (left <= 0) {
            // Stuck: write everything it has not committed on the caller's connection. A batch it
            // commits after all comes back as a duplicate, which the recorder reports and drops.
            alive = false;
            void worker.terminate();
            options.log('error', `the call writer thread did not answer for ${Math.round((options.busyTimeoutMs + DRAIN_GRACE_MS) / 1000)} s; writing its ${posted.length} batch(es) on the store's connection`);
            break;
          }
          Atomics.wait(state, PROCESSED, BigInt(load(PROCESSED)), Math.min(left, 100));
        }
        if (!alive || load(ENDED) !== 0) {
          if (alive) options.log('warn', "the call writer thread ended; calls are written on the store's connection");
          alive = false;
          return takeBackAll();
        }
        settleCommitted();
        return takeBackFailed();
      },
      pending() {
        settleCommitted();
        return posted.reduce((n, b) => n + b.items.length, 0);
      },
      stop() {
        if (!alive) return;
        stopping = true;
        worker.postMessage({ type: 'close' });
        Atomics.wait(state, ENDED, 0n, 5_000);
        alive = false;
      },
    },
  };
}
