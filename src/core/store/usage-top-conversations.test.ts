import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/seeded-random';
import type { CallRecord } from './calls-repository';
import { callFactory, useTempStore } from './testing/usage-fixture';
import { DAY_MS, HOUR_MS, MAX_TIME, MIN_TIME, latencyBin, latencyBinValue, rebuildConversationBoundsSql } from './usage-rollup';
import { TOP_CONVERSATIONS_SQL } from './usage-top-conversations';

const temp = useTempStore('sb-usage-top-');

const T0 = Date.UTC(2026, 2, 2); // 00:00 UTC

const call = callFactory('t');

/** The top list computed from the records themselves. */
function expectedTop(records: readonly CallRecord[], live: ReadonlySet<string>, from: number, to: number, k: number) {
  const sums = new Map<string, { conversationId: string; calls: number; costUsd: number; inputTokens: number; outputTokens: number }>();
  for (const c of records) {
    if (c.outcome === null || c.conversationId === null || !live.has(c.conversationId) || c.startedAt < from || c.startedAt >= to) continue;
    const s = sums.get(c.conversationId) ?? { conversationId: c.conversationId, calls: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 };
    s.calls++;
    s.costUsd += c.costUsd ?? 0;
    s.inputTokens += c.inputTokens.total ?? 0;
    s.outputTokens += c.outputTokens.total ?? 0;
    sums.set(c.conversationId, s);
  }
  return [...sums.values()]
    .sort((x, y) => y.costUsd - x.costUsd || y.calls - x.calls || (x.conversationId < y.conversationId ? -1 : 1))
    .slice(0, k)
    .map((s) => ({ ...s, title: `title ${s.conversationId}` }));
}

describe('top conversations read by cost bound', () => {
  it('equals the top list summed from the calls for any range, after folds, a partial clear and a deleted conversation', () => {
    const random = seededRandom(17);
    const live = new Set<string>();
    for (let i = 0; i < 40; i++) {
      temp.store.conversations.create({ id: `c${i}`, title: `title c${i}`, model: null, createdAt: T0 });
      live.add(`c${i}`);
    }
    let records: CallRecord[] = [];
    const add = (n: number) => {
      for (let i = 0; i < n; i++) {
        const conv = Math.floor(random() * 40);
        // Some conversations live for weeks, most for a day or two; costs are multiples of 1/1024
        // so every order of addition gives the same sum, and ties (and zero costs) happen.
        const days = conv < 5 ? 20 : 2;
        const startedAt = T0 + (conv % 10) * DAY_MS + Math.floor(random() * days * DAY_MS);
        const r = random();
        const c = call({
          startedAt,
          conversationId: r < 0.05 ? null : `c${conv}`,
          costUsd: conv >= 35 ? 0 : r < 0.1 ? null : Math.floor(random() * 8) / 1024,
          outcome: r < 0.03 ? null : r < 0.08 ? 'error' : 'success',
          ...(r < 0.03 && { endedAt: null }),
        });
        records.push(c);
        temp.store.calls.insert(c);
      }
    };
    const check = () => {
      for (let i = 0; i < 40; i++) {
        const from = T0 + Math.floor(random() * 30 * DAY_MS) - 3 * DAY_MS;
        const to = from + 1 + Math.floor(random() * (i % 4 === 0 ? 3 * HOUR_MS : 20 * DAY_MS));
        const k = 1 + (i % 12);
        expect(temp.store.usage.topConversations({ from, to, topConversations: k })).toEqual(expectedTop(records, live, from, to, k));
      }
      const all = { from: T0 - DAY_MS, to: T0 + 40 * DAY_MS };
      expect(temp.store.usage.topConversations({ ...all, topConversations: 50 })).toEqual(expectedTop(records, live, all.from, all.to, 50));
      expect(temp.store.usage.topConversations({ ...all, topConversations: 0 })).toEqual([]);
    };
    add(600);
    check();
    add(300); // folded on top of existing bounds
    check();

    const clearFrom = T0 + 4 * DAY_MS + 5 * HOUR_MS;
    const clearTo = T0 + 9 * DAY_MS + 7;
    temp.store.usage.clear({ from: clearFrom, to: clearTo });
    records = records.filter((c) => c.outcome === null || c.startedAt < clearFrom || c.startedAt >= clearTo);
    temp.store.conversations.delete('c3');
    live.delete('c3');
    check();

    // After the clear the bounds are exactly what a rebuild from the calls gives.
    const db = new Database(temp.path);
    try {
      const rows = () => db.prepare('SELECT * FROM usage_conversation_bounds ORDER BY conversation_id').all();
      const kept = rows();
      db.exec('BEGIN');
      db.exec('DELETE FROM usage_conversation_bounds');
      db.prepare(`INSERT INTO usage_conversation_bounds SELECT conversation_id, 0, 0, 0 FROM calls
        WHERE outcome IS NOT NULL AND conversation_id IS NOT NULL GROUP BY conversation_id`).run();
      for (const sql of rebuildConversationBoundsSql()) db.prepare(sql).run({ lo: MIN_TIME, hi: MAX_TIME });
      const rebuilt = rows();
      db.exec('ROLLBACK');
      expect(kept).toEqual(rebuilt);
    } finally {
      db.close();
    }

    temp.store.usage.clear({});
    expect(temp.store.usage.topConversations({ from: 0, to: T0 + 100 * DAY_MS, topConversations: 10 })).toEqual([]);
  });

  it('reads the bounds in index order and each conversation with a search of an index', () => {
    const db = new Database(temp.path, { readonly: true });
    try {
      const plan = (sql: string) =>
        db.prepare<Record<string, number | string>, { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all({ d0: 0, to: 0, id: 'x', r0: 0, r1: 0, a: 0, b: 0 }).map((r) => r.detail);
      expect(plan(TOP_CONVERSATIONS_SQL.byBound)).toEqual(['SCAN usage_conversation_bounds USING COVERING INDEX usage_conversation_bounds_by_cost']);
      expect(plan(TOP_CONVERSATIONS_SQL.days)).toEqual(['SEARCH usage_conversations USING PRIMARY KEY (conversation_id=? AND day>? AND day<?)']);
      expect(plan(TOP_CONVERSATIONS_SQL.edge)).toEqual(['SEARCH calls USING INDEX calls_conversation (conversation_id=?)']);
    } finally {
      db.close();
    }
  });

  it('still gives the exact list when the bounds cannot separate it (thousands of equal costs)', () => {
    const records: CallRecord[] = [];
    const live = new Set<string>();
    temp.store.transaction(() => {
      for (let i = 0; i < 2_100; i++) {
        const id = `z${String(i).padStart(4, '0')}`;
        temp.store.conversations.create({ id, title: `title ${id}`, model: null, createdAt: T0 });
        live.add(id);
        const c = call({ startedAt: T0 + i * 1000, conversationId: id, costUsd: 0, outputTokens: { total: i % 7, text: null, reasoning: null } });
        records.push(c);
        temp.store.calls.insert(c);
      }
    });
    const range = { from: T0, to: T0 + DAY_MS };
    expect(temp.store.usage.topConversations({ ...range, topConversations: 5 })).toEqual(expectedTop(records, live, range.from, range.to, 5));
  });
});

describe('latency of a range that ends inside a day', () => {
  it('reads the partial day as the day less the rest of it, and leaves out a deployment with calls only in the rest', () => {
    const random = seededRandom(23);
    const records: CallRecord[] = [];
    for (let i = 0; i < 500; i++) {
      const startedAt = T0 + Math.floor(random() * 3 * DAY_MS);
      const c = call({ startedAt, latencyMs: 1 + Math.floor(random() ** 2 * 5000), ttftMs: random() < 0.3 ? null : 1 + Math.floor(random() * 700) });
      records.push(c);
      temp.store.calls.insert(c);
    }
    // Only after `to` on the last day: must not show up at all.
    const to = T0 + 2 * DAY_MS + 17 * HOUR_MS + 23 * 60_000;
    const late = call({ startedAt: to + 5 * 60_000, provider: 'claude', model: 'haiku' });
    records.push(late);
    temp.store.calls.insert(late);

    const from = T0 + DAY_MS - HOUR_MS;
    const ok = records.filter((c) => c.outcome === 'success' && c.startedAt >= from && c.startedAt < to);
    const percentile = (values: number[], p: number) => {
      const bins = values.map(latencyBin).sort((a, b) => a - b);
      return latencyBinValue(bins[Math.ceil(bins.length * p) - 1] as number);
    };
    const latencies = ok.map((c) => c.latencyMs as number);
    const ttfts = ok.flatMap((c) => (c.ttftMs === null ? [] : [c.ttftMs]));
    expect(temp.store.usage.latency({ from, to })).toEqual([
      {
        provider: 'openai', model: 'gpt-4o-mini', deployment: '',
        p50LatencyMs: percentile(latencies, 0.5), p95LatencyMs: percentile(latencies, 0.95),
        p50TtftMs: percentile(ttfts, 0.5), p95TtftMs: percentile(ttfts, 0.95),
      },
    ]);
  });
});
