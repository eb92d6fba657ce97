import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { StoreLog } from './call-recorder';

/**
 * WAL checkpoints on a worker thread, off the thread that records calls.
 *
 * In WAL mode SQLite copies the log back into the database file every 1000 pages written
 * (`wal_autocheckpoint`), inside whichever commit crosses the mark, and with `synchronous=NORMAL` that
 * checkpoint fsyncs the log and the database. Measured under recording load: 20–200 ms of waiting
 * for the disk, about 2 ms of CPU, every ~65 commits; at 10 calls per commit that is 30–300 µs of
 * stalled event loop per call, more than the whole rest of recording. Here a second connection
 * on a worker thread runs `PRAGMA wal_checkpoint(PASSIVE)` every `intervalMs` (passive: it never
 * blocks the writer, which goes on appending to the log and restarts it once it is copied), and
 * the store's own connection stops checkpointing. Durability is what it was: the same fsyncs
 * happen, on the worker.
 *
 * If the worker cannot start or fails, the store's connection checkpoints again as before (logged).
 */
export interface Checkpointer {
  /** Stops the worker and waits (briefly) for it to close its connection. */
  stop(): void;
}

export interface CheckpointerOptions {
  path: string;
  nativeBinding?: string | undefined;
  log: StoreLog;
  intervalMs?: number;
}

// Slots of the shared state: a stop flag (also what the worker sleeps on) and "closed".
const STOP = 0;
const CLOSED = 1;
/** SQLite's default, restored on the store's connection if the worker fails. */
const DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * Plain CommonJS evaluated as the worker (`eval: true`): no worker file to locate, so it runs the
 * same from the sources (tsx, vitest) and from the bundled main process. better-sqlite3 is loaded
 * from the path the store's module resolved. "closed" is set however it ends, so `stop` never
 * waits for a worker that died.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const flags = new Int32Array(workerData.state);
let db;
try {
  const Database = require(workerData.modulePath);
  db = new Database(workerData.path, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
  db.pragma('wal_autocheckpoint = 0');
  while (Atomics.load(flags, ${STOP}) === 0) {
    db.pragma('wal_checkpoint(PASSIVE)');
    Atomics.wait(flags, ${STOP}, 0, workerData.intervalMs);
  }
} finally {
  try { if (db) db.close(); } finally {
    Atomics.store(flags, ${CLOSED}, 1);
    Atomics.notify(flags, ${CLOSED});
  }
}
`;

/** Starts checkpointing `options.path` on a worker and turns the connection's own checkpoints off. */
export function startCheckpointer(db: Database.Database, options: CheckpointerOptions): Checkpointer {
  const state = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const flags = new Int32Array(state);
  let stopped = false;
  let worker: Worker;
  const fallBack = (why: string) => {
    if (stopped || !db.open) return;
    stopped = true;
    db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    options.log('warn', `the WAL checkpoint thread ${why}; the store checkpoints on its own connection again`);
  };
  try {
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    // No execArgv: the worker is plain CommonJS and needs none of the parent's loaders (tsx, vitest).
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { modulePath, path: options.path, nativeBinding: options.nativeBinding, state, intervalMs: options.intervalMs ?? 250 },
    });
  } catch (error) {
    options.log('warn', `could not start the WAL checkpoint thread (${error instanceof Error ? error.message : String(error)}); the store checkpoints on its own connection`);
    return { stop: () => undefined };
  }
  // A background helper: it must not keep the process alive.
  worker.unref();
  worker.on('error', (error) => fallBack(`failed: ${error.message}`));
  worker.on('exit', (code) => fallBack(`ended (${code})`));
  db.pragma('wal_autocheckpoint = 0');
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      Atomics.store(flags, STOP, 1);
      Atomics.notify(flags, STOP);
      // Its connection should be closed before the store's (the last one to close checkpoints and
      // removes the log). A checkpoint under way finishes first; do not hang on a stuck disk. Where
      // a thread may not block, the log is merely left for the next open.
      try {
        Atomics.wait(flags, CLOSED, 0, 5_000);
      } catch {
        // not allowed to wait here: nothing is lost
      }
    },
  };
}
