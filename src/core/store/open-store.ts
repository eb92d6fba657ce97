import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type CallsRepository, createCallsRepository } from './calls-repository';
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
}

export interface Store {
  readonly path: string;
  readonly conversations: ConversationsRepository;
  readonly messages: MessagesRepository;
  readonly calls: CallsRepository;
  /** Recorded spend, for budgets. */
  readonly spend: SpendQueries;
  /** The router's response cache (off unless the config turns it on). */
  readonly responseCache: ResponseCacheRepository;
  /** The dashboard's reads over the calls and their rollups, CSV export rows, and clearing history. */
  readonly usage: UsageQueries;
  readonly downloads: DownloadsRepository;
  /** Runs `fn` in one write transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
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

  const conversations = createConversationsRepository(db);
  const messages = createMessagesRepository(db);
  const calls = createCallsRepository(db);
  const usage = createUsageQueries(db);
  const downloads = createDownloadsRepository(db);

  return {
    path: options.path,
    conversations,
    messages,
    calls,
    spend: createSpendQueries(db),
    responseCache: createResponseCacheRepository(db),
    usage,
    downloads,
    transaction: (fn) => db.transaction(fn)(),
    schemaVersion: () => db.pragma('user_version', { simple: true }) as number,
    diagnostics: () => ({
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      foreignKeys: db.pragma('foreign_keys', { simple: true }) === 1,
      synchronous: db.pragma('synchronous', { simple: true }) as number,
      busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number,
    }),
    close: () => {
      if (db.open) db.close();
    },
  };
}
