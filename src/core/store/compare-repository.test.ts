import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Store, openStore } from './index';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-compare-repo-'));
  store = openStore({ path: join(dir, 'switchboard.db') });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const image = { id: 'a'.repeat(64), mediaType: 'image/png' as const, size: 10 };
const run = (id: string, createdAt: number, attachments = [] as (typeof image)[]) => ({
  id, text: `prompt ${id}`, attachments, createdAt,
  columns: [{ column: 0, model: 'one/m', requestId: `${id}-0` }, { column: 1, model: 'two/m', requestId: `${id}-1` }],
});

describe('compare runs in SQLite', () => {
  it('stores a run with streaming columns, then each column\'s answer', () => {
    store.compare.insert(run('r1', 10, [image]), 100);
    expect(store.compare.get('r1')).toMatchObject({
      id: 'r1', text: 'prompt r1', attachments: [image], createdAt: 10,
      columns: [
        { column: 0, model: 'one/m', requestId: 'r1-0', text: '', status: 'streaming', error: null, usage: null },
        { column: 1, model: 'two/m', requestId: 'r1-1', text: '', status: 'streaming' },
      ],
    });
    store.compare.update('r1', 0, { text: 'partial' });
    const usage = { inputTokens: { total: 5 }, outputTokens: { total: 2 } };
    store.compare.update('r1', 1, { text: 'done', status: 'complete', usage, latencyMs: 120, ttftMs: 40, error: null });
    const columns = store.compare.get('r1')?.columns;
    expect(columns?.[0]).toMatchObject({ text: 'partial', status: 'streaming' });
    expect(columns?.[1]).toMatchObject({ text: 'done', status: 'complete', usage, latencyMs: 120, ttftMs: 40 });
    expect(store.compare.attachmentIdsInUse()).toEqual(new Set([image.id]));
  });

  it('keeps the newest runs only, but never one still streaming', () => {
    store.compare.insert(run('old', 1), 100);
    for (const [id, at] of [['a', 2], ['b', 3]] as const) {
      store.compare.insert(run(id, at), 100);
      store.compare.update(id, 0, { status: 'complete' });
      store.compare.update(id, 1, { status: 'complete' });
    }
    store.compare.insert(run('c', 4), 2);
    // 'old' is still streaming: kept; 'a' was the oldest finished beyond the newest 2.
    expect(store.compare.listRecent(10).map((r) => r.id)).toEqual(['c', 'b', 'old']);
    expect(store.compare.get('a')).toBeUndefined();
  });

  it('marks columns a crash left streaming as errors', () => {
    store.compare.insert(run('r', 1), 100);
    store.compare.update('r', 1, { status: 'complete', text: 'ok' });
    expect(store.compare.failStreaming({ kind: 'aborted', message: 'interrupted', retryable: true })).toBe(1);
    expect(store.compare.get('r')?.columns.map((c) => [c.status, c.error?.message ?? null])).toEqual([
      ['error', 'interrupted'],
      ['complete', null],
    ]);
  });

  it('deletes one run with its columns; the images only it referred to are no longer in use', () => {
    const other = { ...image, id: 'b'.repeat(64) };
    store.compare.insert(run('keep', 1, [image]), 100);
    store.compare.insert(run('gone', 2, [image, other]), 100);
    expect(store.compare.attachmentIdsInUse()).toEqual(new Set([image.id, other.id]));
    expect(store.compare.delete('gone')).toBe(true);
    expect(store.compare.get('gone')).toBeUndefined();
    expect(store.compare.listRecent(10).map((r) => r.id)).toEqual(['keep']);
    expect(store.compare.attachmentIdsInUse()).toEqual(new Set([image.id]));
    expect(store.compare.delete('gone')).toBe(false);
    // no column rows left behind
    store.compare.update('gone', 0, { text: 'late write' });
    store.compare.insert(run('gone', 3), 100);
    expect(store.compare.get('gone')?.columns.map((c) => c.text)).toEqual(['', '']);
  });
});
