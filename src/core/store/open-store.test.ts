import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { openStore } from './open-store';

let dir: string;
let dbPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-store-'));
  dbPath = join(dir, 'nested', 'switchboard.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A raw connection, as an older build (or a test) would hold it. */
function withRawDb<T>(fn: (db: Database.Database) => T): T {
  mkdirSync(dirname(dbPath), { recursive: true });
  const db = new Database(dbPath);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const tableNames = (db: Database.Database) =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);

describe('openStore', () => {
  it('creates a fresh database with every migration and the pragmas set', () => {
    const store = openStore({ path: dbPath });
    try {
      expect(store.diagnostics()).toEqual({
        schemaVersion: MIGRATIONS.length,
        journalMode: 'wal',
        foreignKeys: true,
        synchronous: 1,
        busyTimeoutMs: 5000,
      });
    } finally {
      store.close();
    }
    expect(withRawDb(tableNames)).toEqual(expect.arrayContaining(['calls', 'conversations', 'messages']));
  });

  it('re-opens an up-to-date database without changing it', () => {
    const first = openStore({ path: dbPath });
    first.conversations.create({ id: 'c1', title: 'Hello', model: null, createdAt: 1 });
    first.close();

    const second = openStore({ path: dbPath });
    try {
      expect(second.schemaVersion()).toBe(MIGRATIONS.length);
      expect(second.conversations.get('c1')?.title).toBe('Hello');
    } finally {
      second.close();
    }
  });

  it('upgrades an older database and keeps its data', () => {
    withRawDb((db) => {
      expect(migrate(db, MIGRATIONS.slice(0, 1))).toEqual({ from: 0, to: 1 });
      db.prepare("INSERT INTO conversations VALUES ('c1', 'Before the upgrade', 'local/x', 5, 5)").run();
      expect(tableNames(db)).not.toContain('calls');
    });

    const store = openStore({ path: dbPath });
    try {
      expect(store.schemaVersion()).toBe(MIGRATIONS.length);
      expect(store.conversations.get('c1')?.title).toBe('Before the upgrade');
      // The table the upgrade added works, and its foreign key reaches the old rows.
      store.calls.insert({
        id: 'k1', requestId: 'r1', attempt: 1, fallbackDepth: 0, conversationId: 'c1',
        provider: 'local', model: 'local/x', deployment: null,
        inputTokens: { total: 3, noCache: null, cacheRead: null, cacheWrite: null },
        outputTokens: { total: 4, text: null, reasoning: null },
        costUsd: null, latencyMs: 10, ttftMs: 2, outcome: 'success', errorKind: null, errorMessage: null,
        startedAt: 10, endedAt: 20, client: 'test',
      });
      expect(store.calls.listByRequest('r1')).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it('upgrades calls to allow rows in flight, keeping the rows it had', () => {
    withRawDb((db) => {
      expect(migrate(db, MIGRATIONS.slice(0, 2))).toEqual({ from: 0, to: 2 });
      db.prepare("INSERT INTO conversations VALUES ('c1', 'Before', 'local/x', 5, 5)").run();
      db.prepare(
        `INSERT INTO calls (id, request_id, attempt, fallback_depth, conversation_id, provider, model,
           input_tokens, output_tokens, latency_ms, outcome, error_kind, started_at, ended_at, client)
         VALUES ('old', 'r0', 1, 0, 'c1', 'local', 'local/x', 7, NULL, 12, 'error', 'server', 10, 22, 'ipc')`,
      ).run();
    });

    const store = openStore({ path: dbPath });
    try {
      expect(store.schemaVersion()).toBe(MIGRATIONS.length);
      expect(store.calls.listByRequest('r0')).toMatchObject([
        {
          id: 'old', conversationId: 'c1', inputTokens: { total: 7, noCache: null }, outputTokens: { total: null },
          latencyMs: 12, outcome: 'error', errorKind: 'server', startedAt: 10, endedAt: 22, client: 'ipc',
        },
      ]);
      // The rebuilt table keeps its foreign key and its indexes.
      store.conversations.delete('c1');
      expect(store.calls.listByRequest('r0')[0]?.conversationId).toBeNull();
      store.calls.begin({
        id: 'new', requestId: 'r1', attempt: 1, fallbackDepth: 0, conversationId: null,
        provider: 'local', model: 'local/x', deployment: null, startedAt: 30, client: 'ipc',
      });
      expect(store.calls.listByRequest('r1')).toMatchObject([{ outcome: null, endedAt: null }]);
    } finally {
      store.close();
    }
    const indexes = withRawDb((db) =>
      db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls' AND sql IS NOT NULL ORDER BY name").all(),
    ).map((r) => r.name);
    // calls_in_flight is a table now (calls in flight live there until they end).
    expect(indexes).toEqual(['calls_conversation', 'calls_ended', 'calls_request']);
  });

  it('moves the calls a crash left in flight into calls_in_flight, where startup recovery still finds them', () => {
    const before = MIGRATIONS.findIndex((m) => m.name.startsWith('calls_in_flight:'));
    expect(before).toBeGreaterThan(0);
    withRawDb((db) => {
      migrate(db, MIGRATIONS.slice(0, before));
      db.prepare("INSERT INTO conversations (id, title, model, created_at, updated_at) VALUES ('c1', 'T', NULL, 5, 5)").run();
      const row = db.prepare(
        `INSERT INTO calls (id, request_id, attempt, fallback_depth, conversation_id, provider, model, outcome, cost_usd, started_at, ended_at)
         VALUES (?, ?, 1, 0, 'c1', 'openai', 'gpt-4o-mini', ?, ?, ?, ?)`,
      );
      row.run('ended', 'r0', 'success', 0.25, 10, 20);
      row.run('crashed', 'r1', null, null, 30, null);
    });
    const store = openStore({ path: dbPath });
    try {
      expect(withRawDb((db) => db.prepare('SELECT id FROM calls_in_flight').pluck().all())).toEqual(['crashed']);
      expect(store.calls.list({ limit: 10 }).map((c) => [c.id, c.outcome])).toEqual([['crashed', null], ['ended', 'success']]);
      expect(store.calls.failInFlight({ errorKind: 'aborted', errorMessage: 'interrupted' })).toBe(1);
      expect(store.calls.listByRequest('r1')).toMatchObject([
        { id: 'crashed', conversationId: 'c1', outcome: 'error', errorKind: 'aborted', costUsd: null, latencyMs: null, startedAt: 30, endedAt: 30 },
      ]);
      expect(store.usage.totals({ from: 0, to: 100 })).toMatchObject([{ calls: 2, errors: 1, costUsd: 0.25 }]);
    } finally {
      store.close();
    }
    expect(withRawDb((db) => db.prepare('SELECT COUNT(*) FROM calls_in_flight').pluck().get())).toBe(0);
  });

  it('leaves the database at the last good version when a migration fails', () => {
    const broken = [...MIGRATIONS.slice(0, 1), { name: 'broken', sql: 'CREATE TABLE half (x); CREATE TABLE nope (;' }];
    withRawDb((db) => {
      expect(() => migrate(db, broken)).toThrow(/migration 2 \(broken\) failed/);
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      // The failed migration's first statement was rolled back with it.
      expect(tableNames(db)).not.toContain('half');
    });
  });

  it('refuses a database written by a newer build', () => {
    withRawDb((db) => db.pragma(`user_version = ${MIGRATIONS.length + 1}`));
    expect(() => openStore({ path: dbPath })).toThrow(/newer than this build/);
  });

  it('enforces foreign keys', () => {
    const store = openStore({ path: dbPath });
    try {
      expect(() =>
        store.messages.insert({
          id: 'm1', conversationId: 'missing', role: 'user', text: 'hi', model: null, status: 'complete', createdAt: 1,
        }),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      store.close();
    }
  });
});
