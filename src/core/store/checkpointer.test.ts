import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer';

let dir: string;
let path: string;
let db: Database.Database;
let logged: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-checkpointer-'));
  path = join(dir, 'switchboard.db');
  db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (x BLOB)');
  logged = [];
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PAGE = 4096;
const insert = () => db.prepare('INSERT INTO t VALUES (randomblob(?))');
const log = (level: string, message: string) => logged.push(`${level}: ${message}`);

describe('WAL checkpoints on a worker thread', () => {
  it('keeps the log small while the connection itself never checkpoints, and closes its connection on stop', async () => {
    const checkpointer = startCheckpointer(db, { path, log, intervalMs: 10 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const write = insert();
    // ~3000 pages in commits of ~100, with time between them for the worker: without checkpoints
    // the log would hold them all (12 MB); copied back, it restarts from its beginning.
    for (let i = 0; i < 30; i++) {
      db.transaction(() => {
        for (let k = 0; k < 100; k++) write.run(PAGE - 200);
      })();
      await sleep(30);
    }
    expect(statSync(`${path}-wal`).size).toBeLessThan(1500 * PAGE);
    checkpointer.stop();
    db.close();
    // The store's connection was the last one: closing it checkpointed and removed the log.
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(logged).toEqual([]);
  }, 20_000);

  it('gives checkpoints back to the connection when the worker fails', async () => {
    const checkpointer = startCheckpointer(db, { path, log, nativeBinding: join(dir, 'missing.node') });
    for (let i = 0; i < 100 && logged.length === 0; i++) await sleep(20);
    expect(logged).toEqual([expect.stringMatching(/^warn: the WAL checkpoint thread failed: .*; the store checkpoints on its own connection again$/s)]);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    checkpointer.stop(); // returns at once: the worker is gone
  }, 20_000);
});
