import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCallRecorder } from './call-recorder';
import { type CallEnd, type CallStart, createCallsRepository } from './calls-repository';
import { migrate } from './migrate';
import { type Store, openStore } from './open-store';

let dir: string;
let path: string;
let store: Store;
let logged: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-recorder-'));
  path = join(dir, 'switchboard.db');
  logged = [];
  store = openStore({ path, log: (level, message) => logged.push(`${level}: ${message}`) });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 10, 30, 12);
/** Past the recorder's flush window (2 ms): its timer fires before this one. */
const afterWindow = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

function start(id: string, overrides: Partial<CallStart> = {}): CallStart {
  return { id, requestId: `req-${id}`, attempt: 1, fallbackDepth: 0, conversationId: null, provider: 'openai', model: 'gpt-4o-mini', deployment: 'fast#0', startedAt: T0, client: 'gateway', ...overrides };
}

function end(costUsd = 0.5): CallEnd {
  return {
    inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 5, text: 5, reasoning: 0 },
    costUsd, latencyMs: 40, ttftMs: 10, outcome: 'success', errorKind: null, errorMessage: null, endedAt: T0 + 40,
  };
}

/**
 * What is on disk, read through a second connection (the store's own reads would flush first):
 * ended calls in `calls`, calls in flight in `calls_in_flight`.
 */
function onDisk(): { id: string; outcome: string | null; cost_usd: number | null; conversation_id: string | null }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], { id: string; outcome: string | null; cost_usd: number | null; conversation_id: string | null }>(
      `SELECT id, outcome, cost_usd, conversation_id FROM calls
       UNION ALL SELECT id, outcome, cost_usd, conversation_id FROM calls_in_flight ORDER BY id`,
    ).all();
  } finally {
    db.close();
  }
}

describe('call recorder (write-behind)', () => {
  it('writes the operations of a flush window together at its end, not before', async () => {
    store.calls.begin(start('a'));
    store.calls.begin(start('b'));
    expect(onDisk()).toEqual([]);
    await afterWindow();
    expect(onDisk()).toMatchObject([{ id: 'a', outcome: null }, { id: 'b', outcome: null }]);
    // The finish of a written row: an UPDATE in the next flush; the queue said yes at once.
    expect(store.calls.finish('a', end())).toBe(true);
    expect(onDisk()[0]).toMatchObject({ id: 'a', outcome: null });
    await afterWindow();
    expect(onDisk()[0]).toMatchObject({ id: 'a', outcome: 'success', cost_usd: 0.5 });
  });

  it('with a window of 0, writes at the end of the loop turn', async () => {
    const db = new Database(join(dir, 'turn.db'));
    migrate(db);
    const recorder = createCallRecorder(db, createCallsRepository(db), { log: () => undefined, flushWindowMs: 0 });
    try {
      recorder.calls.begin(start('a'));
      expect(recorder.pending()).toBe(1);
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(recorder.pending()).toBe(0);
    } finally {
      recorder.close();
      db.close();
    }
  });

  it('keeps finish after begin: a begin and finish queued in one window become one finished row, counted once', async () => {
    store.calls.begin(start('a'));
    expect(store.calls.finish('a', end(1))).toBe(true);
    // A second finish of the same call changes nothing, as before.
    expect(store.calls.finish('a', end(99))).toBe(false);
    await afterWindow();
    expect(onDisk()).toEqual([{ id: 'a', outcome: 'success', cost_usd: 1, conversation_id: null }]);
    const totals = store.usage.totals({ from: T0 - 3_600_000, to: T0 + 3_600_000 });
    expect(totals).toMatchObject([{ calls: 1, successes: 1, costUsd: 1 }]);
  });

  it('loses no row across close(): the queue is written before the connection closes', () => {
    for (let i = 0; i < 50; i++) store.calls.begin(start(`c${String(i).padStart(2, '0')}`));
    for (let i = 0; i < 50; i += 2) store.calls.finish(`c${String(i).padStart(2, '0')}`, end());
    store.calls.insert({ ...start('whole'), ...end(2) });
    store.close();
    const rows = onDisk();
    expect(rows).toHaveLength(51);
    expect(rows.filter((r) => r.outcome === 'success')).toHaveLength(26);
    expect(logged).toEqual([]);
  });

  it('refuses to queue after close, as a closed connection would', () => {
    store.close();
    expect(() => store.calls.begin(start('late'))).toThrow(/store is closed/);
  });

  it('lets every read see what was recorded before it (the queue is written first)', () => {
    store.calls.begin(start('a'));
    store.calls.finish('a', end(3));
    store.calls.begin(start('b', { startedAt: T0 + 1 }));
    // The window has not passed.
    expect(store.spend.spentUsd({ kind: 'global' }, T0 - 1)).toBe(3);
    expect(store.calls.listByRequest('req-b')).toMatchObject([{ outcome: null }]);
    expect(store.usage.dashboard({ from: T0 - 3_600_000, to: T0 + 3_600_000, bucketMs: 3_600_000, topConversations: 5 }).totals).toMatchObject([{ calls: 1, costUsd: 3 }]);
  });

  it('keeps the order against other writes: a conversation deleted after its call began leaves the row, unlinked', async () => {
    store.conversations.create({ id: 'conv', title: 'T', model: null, createdAt: T0 });
    store.calls.begin(start('a', { conversationId: 'conv' }));
    store.conversations.delete('conv');
    expect(onDisk()).toEqual([{ id: 'a', outcome: null, cost_usd: null, conversation_id: null }]);
    // Its finish moves it to calls as it is in flight: still unlinked, nothing to warn about.
    expect(store.calls.finish('a', end(2))).toBe(true);
    await afterWindow();
    expect(onDisk()).toEqual([{ id: 'a', outcome: 'success', cost_usd: 2, conversation_id: null }]);
    expect(logged).toEqual([]);
  });

  it('records a call whose conversation is already gone without it, and says so', async () => {
    store.calls.begin(start('a', { conversationId: 'never-existed' }));
    store.calls.begin(start('b'));
    await afterWindow();
    expect(onDisk()).toMatchObject([{ id: 'a', conversation_id: null }, { id: 'b' }]);
    expect(logged).toEqual(['warn: call a: conversation never-existed no longer exists; recorded without it']);
  });

  it('drops only the row the schema refuses (logged), not the rest of the window', async () => {
    store.calls.insert({ ...start('dup'), ...end() });
    await afterWindow();
    store.calls.begin(start('x'));
    store.calls.insert({ ...start('dup'), ...end() });
    store.calls.begin(start('y'));
    await afterWindow();
    expect(onDisk().map((r) => r.id)).toEqual(['dup', 'x', 'y']);
    expect(logged).toEqual([expect.stringMatching(/^error: call dup could not be recorded and was dropped: UNIQUE constraint failed/)]);
  });

  it('records at once, atomically, inside a store transaction', () => {
    expect(() =>
      store.transaction(() => {
        store.calls.begin(start('rolled-back'));
        throw new Error('the rest failed');
      }),
    ).toThrow(/the rest failed/);
    store.transaction(() => store.calls.begin(start('kept')));
    expect(onDisk().map((r) => r.id)).toEqual(['kept']);
  });
});

describe('call recorder: a flush that fails', () => {
  it('logs the error, keeps every operation in order, and retries until it is written', async () => {
    const db = new Database(join(dir, 'raw.db'));
    migrate(db);
    const log: string[] = [];
    const recorder = createCallRecorder(db, createCallsRepository(db), { log: (level, m) => log.push(`${level}: ${m}`), retryMs: 5, maxRetryMs: 20 });
    try {
      // The disk refuses writes (as when it is full or read-only): SQLITE_READONLY, not the rows' fault.
      db.pragma('query_only = 1');
      recorder.calls.begin(start('a'));
      await afterWindow();
      recorder.calls.finish('a', end(7));
      recorder.calls.begin(start('b'));
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(recorder.pending()).toBe(2);
      expect(log[0]).toMatch(/^error: could not record 1 call operation\(s\) \(attempt 1; retrying in 5 ms\): attempt to write a readonly database/);
      expect(log.length).toBeGreaterThan(1);

      db.pragma('query_only = 0');
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(recorder.pending()).toBe(0);
      expect(db.prepare('SELECT id, outcome, cost_usd FROM calls UNION ALL SELECT id, outcome, cost_usd FROM calls_in_flight ORDER BY id').all()).toEqual([
        { id: 'a', outcome: 'success', cost_usd: 7 },
        { id: 'b', outcome: null, cost_usd: null },
      ]);
      expect(log.at(-1)).toMatch(/^warn: recorded the 2 call operation\(s\) that had waited after \d+ failed attempt\(s\)/);
    } finally {
      recorder.close();
      db.close();
    }
  });
});

describe('call recorder: process exit', () => {
  it('writes the queue on a normal exit; a kill -9 loses only the window it interrupts', () => {
    store.close();
    const script = join(dir, 'child.ts');
    writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(join(import.meta.dirname, 'open-store.ts'))};
const store = openStore({ path: ${JSON.stringify(path)} });
const start = (id: string) => ({ id, requestId: 'r-' + id, attempt: 1, fallbackDepth: 0, conversationId: null, provider: 'p', model: 'm', deployment: null, startedAt: 1, client: null });
store.calls.begin(start('first'));
setTimeout(() => {
  store.calls.begin(start('second'));
  if (process.argv[2] === 'kill') process.kill(process.pid, 'SIGKILL');
  else process.exit(0);
}, 50);
`,
    );
    const run = (mode: string) => {
      try {
        execFileSync(process.execPath, ['--import', 'tsx', script, mode], { stdio: 'pipe' });
      } catch {
        // SIGKILL: expected in kill mode
      }
    };
    run('exit');
    expect(onDisk().map((r) => r.id)).toEqual(['first', 'second']);
    rmSync(path);
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    run('kill');
    expect(onDisk().map((r) => r.id)).toEqual(['first']);
    store = openStore({ path });
  }, 30_000);
});
