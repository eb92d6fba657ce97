import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type CallRecorder, type StoreLog, createCallRecorder } from './call-recorder';
import { type CallsRepository, createCallsRepository } from './calls-repository';
import { type Checkpointer, startCheckpointer } from './checkpointer';
import { type CompareRepository, createCompareRepository } from './compare-repository';
import { type ConversationsRepository, createConversationsRepository } from './conversations-repository';
import { type DownloadsRepository, createDownloadsRepository } from './downloads-repository';
import { type MessagesRepository, createMessagesRepository } from './messages-repository';
import { migrate } from './migrate';
import { type ResponseCacheRepository, createResponseCacheRepository } from './response-cache-repository';
import { type SpendQueries, createSpendQueries } from './spend-queries';
import { type UsageQueries, createUsageQueries } from './usage-queries';

export interface StoreOptions {
  /** The database file; its folder is created if missing. */
  path: string;
  /**
   * A specific better-sqlite3 `.node` file. The Electron app passes an
   * Electron-ABI build here; Node (tests, `serve`) uses the package's own.
   */
  nativeBinding?: string | undefined;
  /** Where a failed write of recorded calls is reported (they are kept and retried). Default: stderr. */
  log?: StoreLog | undefined;
}

export interface Store {
  readonly path: string;
  readonly conversations: ConversationsRepository;
  readonly messages: MessagesRepository;
  /**
   * Call rows. `begin`/`finish`/`insert` are written behind, in one transaction every 2 ms while
   * there are any (call-recorder.ts); every other store method, and every read of calls, writes the queue first.
   */
  readonly calls: CallsRepository;
  /** Recorded spend, for budgets. */
  readonly spend: SpendQueries;
  /** The router's response cache (off unless the config turns it on). */
  readonly responseCache: ResponseCacheRepository;
  /** The dashboard's reads over the calls and their rollups, CSV export rows, and clearing history. */
  readonly usage: UsageQueries;
  readonly downloads: DownloadsRepository;
  /** Compare runs: the prompt and each column's answer (the newest runs only). */
  readonly compare: CompareRepository;
  /** Runs `fn` in one write transaction (nested calls become savepoints); calls recorded inside it are written in it. */
  transaction<T>(fn: () => T): T;
  /** Writes the queued calls now (normally 2 ms after the first). False when it failed (logged, retried). */
  flushCalls(): boolean;
  /** `PRAGMA user_version`: how many migrations have been applied. */
  schemaVersion(): number;
  /** The connection's settings, for health checks and tests. */
  diagnostics(): StoreDiagnostics;
  close(): void;
}

export interface StoreDiagnostics {
  schemaVersion: number;
  journalMode: string;
  foreignKeys: boolean;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
  synchronous: number;
  busyTimeoutMs: number;
}

/** Call operations recorded before WAL checkpoints move to their own thread. */
const CHECKPOINT_THREAD_AFTER = 500;

/** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

export function openStore(options: StoreOptions): Store {
  mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(
    options.path,
    options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding },
  );
  try {
    // WAL: readers never block the single writer; NORMAL is durable in WAL except on power loss.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }

  const log = options.log ?? logToStderr;
  // Once calls are being recorded in earnest, WAL checkpoints (and their fsyncs) move to a worker
  // thread (checkpointer.ts). Not at open: most stores, in tests above all, write too little to need one.
  let checkpointer: Checkpointer | undefined;
  let recorded = 0;
  let closing = false;
  const afterFlush = (operations: number) => {
    recorded += operations;
    if (checkpointer === undefined && recorded >= CHECKPOINT_THREAD_AFTER && !closing) {
      checkpointer = startCheckpointer(db, { path: options.path, nativeBinding: options.nativeBinding, log });
    }
  };
  const recorder = createCallRecorder(db, createCallsRepository(db), {
    log,
    afterFlush,
    // A second connection to an in-memory database would be another database.
    ...(!db.memory && { writerThread: { path: options.path, nativeBinding: options.nativeBinding, busyTimeoutMs: BUSY_TIMEOUT_MS } }),
  });
  const flushFirst = <T extends object>(repository: T) => writingQueuedCallsFirst(repository, recorder);

  return {
    path: options.path,
    conversations: flushFirst(createConversationsRepository(db)),
    messages: flushFirst(createMessagesRepository(db)),
    calls: recorder.calls,
    spend: flushFirst(createSpendQueries(db)),
    responseCache: flushFirst(createResponseCacheRepository(db)),
    usage: flushFirst(createUsageQueries(db)),
    downloads: flushFirst(createDownloadsRepository(db)),
    compare: flushFirst(createCompareRepository(db)),
    transaction: (fn) => {
      recorder.flush();
      return db.transaction(fn)();
    },
    flushCalls: () => recorder.flush(),
    schemaVersion: () => db.pragma('user_version', { simple: true }) as number,
    diagnostics: () => ({
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      foreignKeys: db.pragma('foreign_keys', { simple: true }) === 1,
      synchronous: db.pragma('synchronous', { simple: true }) as number,
      busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number,
    }),
    close: () => {
      closing = true;
      recorder.close();
      checkpointer?.stop();
      if (db.open) db.close();
    },
  };
}

/**
 * The repository with the recorder's queue written before each of its methods: reads see every
 * call recorded before them, and writes keep their order relative to the calls (foreign keys).
 * An empty queue costs one length check.
 */
function writingQueuedCallsFirst<T extends object>(repository: T, recorder: CallRecorder): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repository)) {
    wrapped[name] =
      typeof value === 'function'
        ? (...args: unknown[]): unknown => {
            recorder.flush();
            return (value as (...a: unknown[]) => unknown).apply(repository, args);
          }
        : value;
  }
  return wrapped as T;
}

const logToStderr: StoreLog = (level, message) => {
  process.stderr.write(`[store] ${level}: ${message}\n`);
};
