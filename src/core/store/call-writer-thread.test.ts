import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CallRecorder, createCallRecorder } from './call-recorder';
import { type CallEnd, type CallStart, createCallsRepository } from './calls-repository';
import { migrate } from './migrate';

// The recorder with its writer thread from the first write (`after: 0`); the recorder's own rules
// (order, nothing lost, salvage) are in call-recorder.test.ts.
let dir: string;
let path: string;
let db: Database.Database;
let recorder: CallRecorder;
let logged: string[];

const T0 = Date.UTC(2026, 11, 6, 12);
const start = (id: string, overrides: Partial<CallStart> = {}): CallStart => ({
  id, requestId: `req-${id}`, attempt: 1, fallbackDepth: 0, conversationId: null, provider: 'openai', model: 'gpt-4o-mini', deployment: 'fast#0', startedAt: T0, client: 'gateway', ...overrides,
});
const end = (costUsd = 0.5): CallEnd => ({
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
  costUsd, latencyMs: 40, ttftMs: 10, outcome: 'success', errorKind: null, errorMessage: null, endedAt: T0 + 40,
});
const afterWindow = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

function open(options: { busyTimeoutMs?: number; nativeBinding?: string } = {}): void {
  db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 20');
  migrate(db);
  recorder = createCallRecorder(db, createCallsRepository(db), {
    log: (level, m) => logged.push(`${level}: ${m}`),
    retryMs: 5,
    maxRetryMs: 20,
    writerThread: { path, busyTimeoutMs: options.busyTimeoutMs ?? 1_000, after: 0, nativeBinding: options.nativeBinding },
  });
}

/** One write on the store's connection starts the thread (`after: 0`). */
function startThread(): void {
  recorder.calls.begin(start('warm'));
  recorder.flush();
}

/** Another connection holds the write lock until `release`. */
function holdWriteLock(): { release(): void } {
  const locker = new Database(path);
  locker.prepare('BEGIN IMMEDIATE').run();
  return {
    release() {
      locker.prepare('COMMIT').run();
      locker.close();
    },
  };
}

/** Rows as another connection sees them: the thread's commits, not the recorder's queue. */
function onDisk(): { id: string; outcome: string | null; cost_usd: number | null; conversation_id: string | null }[] {
  const reader = new Database(path, { readonly: true });
  try {
    return reader
      .prepare<[], { id: string; outcome: string | null; cost_usd: number | null; conversation_id: string | null }>(
        'SELECT id, outcome, cost_usd, conversation_id FROM calls UNION ALL SELECT id, outcome, cost_usd, conversation_id FROM calls_in_flight ORDER BY id',
      )
      .all();
  } finally {
    reader.close();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-writer-thread-'));
  path = join(dir, 'switchboard.db');
  logged = [];
});
afterEach(() => {
  recorder.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('call writer thread', () => {
  it('writes each window on its own connection: the store connection may not write at all', async () => {
    open();
    // Start the thread with one write on the store's connection, then forbid that connection to write.
    startThread();
    db.pragma('query_only = 1');

    recorder.calls.begin(start('a'));
    recorder.calls.finish('a', end(1));
    recorder.calls.begin(start('b'));
    recorder.calls.begin(start('c'));
    await afterWindow();
    recorder.calls.finish('c', end(3));
    await expect.poll(onDisk).toEqual([
      { id: 'a', outcome: 'success', cost_usd: 1, conversation_id: null },
      { id: 'b', outcome: null, cost_usd: null, conversation_id: null },
      { id: 'c', outcome: 'success', cost_usd: 3, conversation_id: null },
      { id: 'warm', outcome: null, cost_usd: null, conversation_id: null },
    ]);
    expect(recorder.pending()).toBe(0);
    expect(logged).toEqual([]);
  });

  it('lets a flush wait for what the thread holds, so a read right after sees every call', () => {
    open();
    startThread();
    for (let i = 0; i < 200; i++) recorder.calls.insert({ ...start(`r${String(i).padStart(3, '0')}`), ...end(0.01) });
    // Not waiting for the window: the read flushes, and the flush drains the thread first.
    expect(recorder.calls.summary({}).totals.calls).toBe(200);
    expect(recorder.pending()).toBe(0);
  });

  it('gives back a batch it cannot write (the database is locked), and the recorder writes it, in order, once it can', async () => {
    open({ busyTimeoutMs: 30 });
    startThread();
    const lock = holdWriteLock();
    try {
      recorder.calls.begin(start('a'));
      await afterWindow();
      recorder.calls.finish('a', end(7));
      recorder.calls.begin(start('b'));
      await expect.poll(() => logged.some((l) => /^warn: the call writer thread could not write a batch of calls \(database is locked\); the store's connection writes it$/.test(l))).toBe(true);
      await expect.poll(() => logged.some((l) => /^error: could not record \d call operation\(s\)/.test(l))).toBe(true);
    } finally {
      lock.release();
    }
    await expect.poll(() => recorder.pending(), { timeout: 2_000 }).toBe(0);
    expect(onDisk()).toMatchObject([
      { id: 'a', outcome: 'success', cost_usd: 7 },
      { id: 'b', outcome: null },
      { id: 'warm', outcome: null },
    ]);
    // The thread takes the next window again.
    db.pragma('query_only = 1');
    recorder.calls.finish('b', end(2));
    await expect.poll(() => onDisk().find((r) => r.id === 'b')?.outcome).toBe('success');
  });

  it('takes back, in a flush, the batch the thread is failing on, so the flush decides what is written', async () => {
    open({ busyTimeoutMs: 30 });
    startThread();
    const lock = holdWriteLock();
    try {
      recorder.calls.begin(start('a'));
      await afterWindow(); // handed to the thread, which now waits for the lock
      recorder.calls.begin(start('b'));
      // Waits for the thread to give up, takes its batch back, and fails on the lock itself: nothing dropped.
      expect(recorder.flush()).toBe(false);
      expect(recorder.pending()).toBe(2);
    } finally {
      lock.release();
    }
    expect(recorder.flush()).toBe(true);
    expect(onDisk().map((r) => r.id)).toEqual(['a', 'b', 'warm']);
    await expect.poll(() => logged.some((l) => l.startsWith('warn: the call writer thread could not write a batch of calls (database is locked)'))).toBe(true);
  });

  it('gives back a batch with a row the schema refuses; the recorder salvages it row by row', async () => {
    open();
    startThread();
    recorder.calls.begin(start('a', { conversationId: 'never-existed' }));
    recorder.calls.begin(start('b'));
    await afterWindow();
    await expect.poll(onDisk).toMatchObject([{ id: 'a', conversation_id: null }, { id: 'b' }, { id: 'warm' }]);
    expect(logged).toEqual([
      "warn: the call writer thread could not write a batch of calls (FOREIGN KEY constraint failed); the store's connection writes it",
      'warn: call a: conversation never-existed no longer exists; recorded without it',
    ]);
  });

  it("reports a finish whose row someone else removed, as the store's connection would", async () => {
    open();
    startThread();
    recorder.calls.begin(start('a'));
    await afterWindow();
    await expect.poll(() => onDisk().some((r) => r.id === 'a')).toBe(true);
    const other = new Database(path);
    other.prepare("DELETE FROM calls_in_flight WHERE id = 'a'").run();
    other.close();
    recorder.calls.finish('a', end());
    await expect.poll(() => logged).toEqual(['warn: call a: its finish found no row in flight; nothing was changed']);
  });

  it('falls back to the store connection when the thread cannot start, and says so once', async () => {
    open({ nativeBinding: join(dir, 'missing.node') });
    recorder.calls.begin(start('a'));
    recorder.flush();
    recorder.calls.begin(start('b'));
    await afterWindow();
    await expect.poll(onDisk).toMatchObject([{ id: 'a' }, { id: 'b' }]);
    recorder.calls.begin(start('c'));
    recorder.flush();
    expect(onDisk().map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^warn: the call writer thread failed: Cannot find module .*missing\.node.*; calls are written on the store's connection from now on( \(1 operation\(s\) handed back\))?$/);
  });

  it('writes everything handed over before close() returns', () => {
    open();
    startThread();
    for (let i = 0; i < 50; i++) recorder.calls.insert({ ...start(`c${String(i).padStart(2, '0')}`), ...end() });
    recorder.close();
    expect(onDisk()).toHaveLength(51);
  });
});

describe('call writer thread: process exit', () => {
  it('writes what the thread holds and what is queued on a normal exit', () => {
    open();
    const script = join(dir, 'child.ts');
    writeFileSync(
      script,
      `import Database from ${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))};
import { createCallRecorder } from ${JSON.stringify(join(import.meta.dirname, 'call-recorder.ts'))};
import { createCallsRepository } from ${JSON.stringify(join(import.meta.dirname, 'calls-repository.ts'))};
const path = ${JSON.stringify(path)};
const db = new Database(path);
const recorder = createCallRecorder(db, createCallsRepository(db), { log: (l, m) => console.error(l, m), writerThread: { path, busyTimeoutMs: 1000, after: 0 } });
const start = (id: string) => ({ id, requestId: 'r-' + id, attempt: 1, fallbackDepth: 0, conversationId: null, provider: 'p', model: 'm', deployment: null, startedAt: 1, client: null });
recorder.calls.begin(start('first'));
recorder.flush();
for (let i = 0; i < 100; i++) recorder.calls.begin(start('handed-' + i));
setTimeout(() => {
  // The window above has been handed to the thread; this one is still queued.
  recorder.calls.begin(start('queued'));
  process.exit(0);
}, 3);
`,
    );
    const stderr = execFileSync(process.execPath, ['--import', 'tsx', script], { stdio: 'pipe' }).toString();
    expect(stderr).toBe('');
    expect(onDisk()).toHaveLength(102);
  }, 30_000);
});
