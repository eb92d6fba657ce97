import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/seeded-random';
import type { CallRecord } from './calls-repository';
import { callFactory, useTempStore } from './testing/usage-fixture';
import { bucketPieces } from './usage-queries';
import { DAY_MS, HOUR_MS, SLOT_MS, latencyBinValue } from './usage-rollup';

const temp = useTempStore('sb-usage-');

const T0 = Date.UTC(2026, 0, 5); // a Monday, 00:00 UTC

const call = callFactory('c', {
  inputTokens: { total: 100, noCache: 80, cacheRead: 20, cacheWrite: 0 },
  outputTokens: { total: 50, text: 40, reasoning: 10 },
});

const day = (q: { from: number; to: number }) => ({ ...q, bucketMs: DAY_MS, topConversations: 10 });

describe('usage queries', () => {
  it('buckets spend from `from`, counts a call at a bucket start in that bucket, and leaves `to` out', () => {
    temp.store.calls.insert(call({ startedAt: T0, costUsd: 1 }));
    temp.store.calls.insert(call({ startedAt: T0 + DAY_MS - 1, costUsd: 2 }));
    temp.store.calls.insert(call({ startedAt: T0 + DAY_MS, costUsd: 4 }));
    temp.store.calls.insert(call({ startedAt: T0 + 2 * DAY_MS, costUsd: 8 })); // at `to`: outside
    temp.store.calls.insert(call({ startedAt: T0 - 1, costUsd: 16 })); // before `from`: outside

    const series = temp.store.usage.series(day({ from: T0, to: T0 + 2 * DAY_MS }));
    expect(series).toEqual([
      { bucket: 0, provider: 'openai', model: 'gpt-4o-mini', calls: 2, costUsd: 3 },
      { bucket: 1, provider: 'openai', model: 'gpt-4o-mini', calls: 1, costUsd: 4 },
    ]);
  });

  it('never counts a call in flight, and counts it once it finishes', () => {
    temp.store.calls.begin({ id: 'f1', requestId: 'rf', attempt: 1, fallbackDepth: 0, conversationId: null, provider: 'local', model: 'local/tiny', deployment: null, startedAt: T0 + 5, client: null });
    const range = day({ from: T0, to: T0 + DAY_MS });
    expect(temp.store.usage.totals(range)).toEqual([]);
    expect(temp.store.usage.series(range)).toEqual([]);
    expect(temp.store.usage.countEnded(range)).toBe(0);

    temp.store.calls.finish('f1', {
      inputTokens: { total: 30, noCache: null, cacheRead: null, cacheWrite: null },
      outputTokens: { total: 7, text: null, reasoning: null },
      costUsd: 0,
      latencyMs: 12,
      ttftMs: 3,
      outcome: 'success',
      errorKind: null,
      errorMessage: null,
      endedAt: T0 + 17,
    });
    expect(temp.store.usage.totals(range)).toEqual([
      expect.objectContaining({
        provider: 'local', model: 'local/tiny', deployment: '', calls: 1, successes: 1, costed: 1, costUsd: 0,
        // unknown splits are derived from the totals
        inputTokens: 30, inputNoCache: 30, cacheRead: 0, cacheWrite: 0, outputTokens: 7, outputText: 7, reasoning: 0,
      }),
    ]);
    expect(temp.store.usage.latency(range)).toEqual([
      { provider: 'local', model: 'local/tiny', deployment: '', p50LatencyMs: 12, p95LatencyMs: 12, p50TtftMs: 3, p95TtftMs: 3 },
    ]);
  });

  it('adds up tokens by kind, outcomes and cost per deployment', () => {
    temp.store.calls.insert(call({ startedAt: T0 + 1, deployment: 'fast#0' }));
    temp.store.calls.insert(call({ startedAt: T0 + 2, deployment: 'fast#0', outcome: 'error', costUsd: null, errorKind: 'server' }));
    temp.store.calls.insert(call({ startedAt: T0 + 3, deployment: 'fast#0', outcome: 'aborted' }));
    temp.store.calls.insert(call({ startedAt: T0 + 4, deployment: 'fast#0', outcome: 'cache_hit', costUsd: 0 }));
    const [row] = temp.store.usage.totals(day({ from: T0, to: T0 + DAY_MS }));
    expect(row).toEqual({
      provider: 'openai', model: 'gpt-4o-mini', deployment: 'fast#0',
      calls: 4, successes: 2, errors: 1, aborted: 1, costed: 3, costUsd: 0.02,
      inputTokens: 400, outputTokens: 200, inputNoCache: 320, cacheRead: 80, cacheWrite: 0, outputText: 160, reasoning: 40,
    });
  });

  it('reads nearest-rank p50/p95 of successful calls only: exact below 32 ms, within 3% above', () => {
    for (let ms = 1; ms <= 20; ms++) temp.store.calls.insert(call({ startedAt: T0 + ms, latencyMs: ms, ttftMs: ms < 11 ? ms : null }));
    temp.store.calls.insert(call({ startedAt: T0 + 100, latencyMs: 9_999, outcome: 'error' }));
    for (let i = 0; i < 100; i++) temp.store.calls.insert(call({ startedAt: T0 + 200 + i, provider: 'claude', model: 'haiku', latencyMs: 1000 + i * 10 }));

    const stats = temp.store.usage.latency({ from: T0, to: T0 + DAY_MS });
    expect(stats.find((s) => s.provider === 'openai')).toEqual({
      provider: 'openai', model: 'gpt-4o-mini', deployment: '', p50LatencyMs: 10, p95LatencyMs: 19, p50TtftMs: 5, p95TtftMs: 10,
    });
    const claude = stats.find((s) => s.provider === 'claude');
    // exact: p50 = 1490 (50th of 1000..1990), p95 = 1940
    expect(Math.abs((claude?.p50LatencyMs ?? 0) / 1490 - 1)).toBeLessThan(0.03);
    expect(Math.abs((claude?.p95LatencyMs ?? 0) / 1940 - 1)).toBeLessThan(0.03);
    expect(latencyBinValue(31)).toBe(31);
  });

  it('lists the top conversations by cost with their titles; a deleted one leaves the list', () => {
    temp.store.conversations.create({ id: 'a', title: 'Cheap', model: null, createdAt: T0 });
    temp.store.conversations.create({ id: 'b', title: 'Dear', model: null, createdAt: T0 });
    temp.store.conversations.create({ id: 'gone', title: 'Gone', model: null, createdAt: T0 });
    temp.store.calls.insert(call({ startedAt: T0 + 1, conversationId: 'a', costUsd: 0.5 }));
    temp.store.calls.insert(call({ startedAt: T0 + 2, conversationId: 'b', costUsd: 2 }));
    temp.store.calls.insert(call({ startedAt: T0 + 3, conversationId: 'b', costUsd: 1 }));
    temp.store.calls.insert(call({ startedAt: T0 + 4, conversationId: 'gone', costUsd: 1 }));
    temp.store.conversations.delete('gone');

    const top = temp.store.usage.topConversations({ from: T0, to: T0 + DAY_MS, topConversations: 10 });
    expect(top).toEqual([
      { conversationId: 'b', title: 'Dear', calls: 2, costUsd: 3, inputTokens: 200, outputTokens: 100 },
      { conversationId: 'a', title: 'Cheap', calls: 1, costUsd: 0.5, inputTokens: 100, outputTokens: 50 },
    ]);
    expect(temp.store.usage.topConversations({ from: T0, to: T0 + DAY_MS, topConversations: 1 })).toHaveLength(1);
  });

  it('cuts a range into pieces inside buckets, at the coarsest unit that fits', () => {
    // UTC+1 local days: each bucket is 24 whole hours, joined into one hour-level scan.
    const from = T0 - HOUR_MS;
    expect(bucketPieces(from, from + 3 * DAY_MS, DAY_MS)).toEqual([{ unit: HOUR_MS, a: from, b: from + 3 * DAY_MS }]);
    // UTC+5:30: half an hour of slots at each end of the run of hours.
    const india = T0 - 5.5 * HOUR_MS;
    expect(bucketPieces(india, india + DAY_MS, DAY_MS).sort((x, y) => y.unit - x.unit || x.a - y.a)).toEqual([
      { unit: HOUR_MS, a: india + 0.5 * HOUR_MS, b: india + DAY_MS - 0.5 * HOUR_MS },
      { unit: SLOT_MS, a: india, b: india + 0.5 * HOUR_MS },
      { unit: SLOT_MS, a: india + DAY_MS - 0.5 * HOUR_MS, b: india + DAY_MS },
    ]);
    // An unaligned end is read raw.
    expect(bucketPieces(T0, T0 + DAY_MS + 60_000, 7 * DAY_MS)).toEqual([
      { unit: DAY_MS, a: T0, b: T0 + DAY_MS },
      { unit: 0, a: T0 + DAY_MS, b: T0 + DAY_MS + 60_000 },
    ]);
  });

  it('agrees with a plain count over the raw calls for any range, before and after a partial clear', () => {
    const random = seededRandom(3);
    const providers = ['openai', 'claude', 'local'];
    const records: CallRecord[] = [];
    for (let i = 0; i < 600; i++) {
      const startedAt = T0 + Math.floor(random() * 10 * DAY_MS);
      const r = random();
      const c = call({
        startedAt,
        provider: providers[i % 3] as string,
        deployment: i % 2 === 0 ? 'g#0' : null,
        conversationId: null,
        costUsd: Math.round(random() * 1000) / 1000,
        latencyMs: 5 + Math.floor(random() * 3000),
        outcome: r < 0.05 ? null : r < 0.15 ? 'error' : 'success',
        ...(r < 0.05 && { endedAt: null }),
      });
      records.push(c);
      temp.store.calls.insert(c);
    }
    const check = (from: number, to: number, bucketMs: number) => {
      const inRange = records.filter((c) => c.outcome !== null && c.startedAt >= from && c.startedAt < to);
      const expected = new Map<string, { calls: number; cost: number }>();
      for (const c of inRange) {
        const key = `${Math.floor((c.startedAt - from) / bucketMs)}/${c.provider}`;
        const e = expected.get(key) ?? { calls: 0, cost: 0 };
        e.calls++;
        e.cost += c.costUsd ?? 0;
        expected.set(key, e);
      }
      const got = new Map<string, { calls: number; cost: number }>();
      for (const p of temp.store.usage.series({ from, to, bucketMs })) {
        const key = `${p.bucket}/${p.provider}`;
        const e = got.get(key) ?? { calls: 0, cost: 0 };
        e.calls += p.calls;
        e.cost += p.costUsd;
        got.set(key, e);
      }
      expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [key, e] of expected) {
        expect(got.get(key)?.calls).toBe(e.calls);
        expect(got.get(key)?.cost).toBeCloseTo(e.cost, 9);
      }
      const totals = temp.store.usage.totals({ from, to });
      expect(totals.reduce((n, t) => n + t.calls, 0)).toBe(inRange.length);
      expect(totals.reduce((n, t) => n + t.errors, 0)).toBe(inRange.filter((c) => c.outcome === 'error').length);
    };
    for (let i = 0; i < 12; i++) {
      const from = T0 + Math.floor(random() * 5 * DAY_MS);
      const to = from + 1 + Math.floor(random() * 5 * DAY_MS);
      check(from, to, [HOUR_MS, DAY_MS, 7 * DAY_MS][i % 3] as number);
    }
    check(T0 - 5.5 * HOUR_MS, T0 + 10 * DAY_MS, DAY_MS);

    // Clear an unaligned range: ended calls in it go, calls in flight stay, the rollups follow.
    const clearFrom = T0 + 2 * DAY_MS + 12_345;
    const clearTo = T0 + 4 * DAY_MS + 3 * HOUR_MS + 7;
    const deleted = temp.store.usage.clear({ from: clearFrom, to: clearTo });
    const gone = records.filter((c) => c.outcome !== null && c.startedAt >= clearFrom && c.startedAt < clearTo);
    expect(deleted).toBe(gone.length);
    records.splice(0, records.length, ...records.filter((c) => !gone.includes(c)));
    check(T0, T0 + 10 * DAY_MS, DAY_MS);
    check(T0 + DAY_MS + 7, T0 + 6 * DAY_MS + 11, HOUR_MS);
    expect(temp.store.calls.list({ limit: 10_000 }).filter((c) => c.outcome === null).length).toBe(records.filter((c) => c.outcome === null).length);

    // Clear all: only the rows in flight are left.
    temp.store.usage.clear({});
    expect(temp.store.usage.totals({ from: 0, to: T0 + 100 * DAY_MS })).toEqual([]);
    expect(temp.store.calls.list({ limit: 10_000 }).every((c) => c.outcome === null)).toBe(true);
  });

  it('exports the ended calls of a range, oldest first, with the conversation title', () => {
    temp.store.conversations.create({ id: 'a', title: 'Hello, "world"', model: null, createdAt: T0 });
    temp.store.calls.insert(call({ startedAt: T0 + 2, conversationId: 'a' }));
    temp.store.calls.insert(call({ startedAt: T0 + 1 }));
    temp.store.calls.insert(call({ startedAt: T0 + 3, outcome: null, endedAt: null }));
    const rows = [...temp.store.usage.exportRows({ from: T0, to: T0 + DAY_MS })];
    expect(rows.map((r) => [r.started_at, r.conversation_title])).toEqual([
      [T0 + 1, null],
      [T0 + 2, 'Hello, "world"'],
    ]);
    expect(temp.store.usage.countEnded({ from: T0, to: T0 + DAY_MS })).toBe(2);
  });
});
