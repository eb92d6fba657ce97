import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/seeded-random';
import type { CallRecord } from './calls-repository';
import { callFactory, useTempStore } from './testing/usage-fixture';
import { DASHBOARD_SQL } from './usage-queries';
import { DAY_MS, HOUR_MS, LATENCY_SPANS, MAX_TIME, MIN_TIME, latencyBin, latencyBinValue, rebuildLatencySpansSql, spanBounds, spanPieces } from './usage-rollup';

const temp = useTempStore('sb-usage-spans-');

// 64-day blocks start at multiples of 64 days since the epoch; start a little before one.
const T0 = Math.floor(Date.UTC(2026, 0, 5) / LATENCY_SPANS[0]) * LATENCY_SPANS[0] - 10 * DAY_MS;
const SPAN_DAYS = 200;

const call = callFactory('s');

/** Nearest-rank percentile of the binned values, as the dashboard reports it. */
function expectedPercentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const bins = values.map(latencyBin).sort((a, b) => a - b);
  return latencyBinValue(bins[Math.ceil(bins.length * p) - 1] as number);
}

describe('latency histograms per block of days', () => {
  it('cuts whole days into runs of the longest blocks that fit, at most two runs per block length', () => {
    const d = (days: number) => days * DAY_MS;
    expect(LATENCY_SPANS).toEqual([64, 32, 16, 8, 4, 2, 1].map(d));
    const b = LATENCY_SPANS[0] * 30; // a 64-day boundary
    expect(spanPieces(b, b + d(64))).toEqual([{ span: d(64), a: b, b: b + d(64) }]);
    expect(spanPieces(b - d(3), b + d(16) + d(7))).toEqual([
      { span: d(1), a: b - d(3), b: b - d(2) },
      { span: d(2), a: b - d(2), b },
      { span: d(16), a: b, b: b + d(16) },
      { span: d(4), a: b + d(16), b: b + d(20) },
      { span: d(2), a: b + d(20), b: b + d(22) },
      { span: d(1), a: b + d(22), b: b + d(23) },
    ]);
    expect(spanPieces(b, b)).toEqual([]);
    // Any range of whole days: covered exactly, in order, by aligned blocks, ≤ 2 runs per length.
    const random = seededRandom(11);
    for (let i = 0; i < 500; i++) {
      const r0 = b + Math.floor((random() - 0.5) * 400) * DAY_MS;
      const r1 = r0 + Math.floor(random() * 300) * DAY_MS;
      const pieces = spanPieces(r0, r1).sort((x, y) => x.a - y.a);
      let at = r0;
      for (const p of pieces) {
        expect(p.a).toBe(at);
        expect(p.a % p.span).toBe(0);
        expect(p.b % p.span).toBe(0);
        at = p.b;
      }
      expect(at).toBe(r0 < r1 ? r1 : r0);
      for (const span of LATENCY_SPANS) expect(pieces.filter((p) => p.span === span).length).toBeLessThanOrEqual(2);
    }
    expect(spanBounds(b + DAY_MS, b + 2 * DAY_MS)).toEqual({ lo: b, hi: b + d(64) });
    expect(spanBounds(MIN_TIME, MAX_TIME)).toEqual({ lo: MIN_TIME, hi: MAX_TIME });
  });

  it('reads a block histogram with one search of the primary key, grouped in key order (no sort)', () => {
    const db = new Database(temp.path, { readonly: true });
    try {
      const plan = db
        .prepare<Record<string, number>, { detail: string }>(`EXPLAIN QUERY PLAN ${DASHBOARD_SQL.blockLatency}`)
        .all({ span: LATENCY_SPANS[0], start: T0 })
        .map((r) => r.detail);
      expect(plan).toEqual(['SEARCH usage_latency_span USING PRIMARY KEY (span=? AND start=?)']);
    } finally {
      db.close();
    }
  });

  it('gives the same percentiles as the raw calls for long ranges, after folds and a partial clear, and matches a rebuild', () => {
    const random = seededRandom(5);
    const deployments = [
      { provider: 'openai', model: 'gpt-4o-mini', deployment: 'fast#0' },
      { provider: 'claude', model: 'haiku', deployment: null },
      { provider: 'local', model: 'qwen', deployment: 'fast#1' },
    ];
    let records: CallRecord[] = [];
    // Several batches, each folded by a read in between, so blocks are added to after they exist.
    for (let batch = 0; batch < 4; batch++) {
      for (let i = 0; i < 400; i++) {
        const d = deployments[i % 3] as (typeof deployments)[number];
        const r = random();
        const c = call({
          startedAt: T0 + Math.floor(random() * SPAN_DAYS * DAY_MS),
          ...d,
          latencyMs: 1 + Math.floor(random() ** 2 * 8000),
          ttftMs: r < 0.2 ? null : 1 + Math.floor(random() * 900),
          outcome: r < 0.03 ? null : r < 0.1 ? 'error' : 'success',
          ...(r < 0.03 && { endedAt: null }),
        });
        records.push(c);
        temp.store.calls.insert(c);
      }
      temp.store.usage.latency({ from: T0, to: T0 + DAY_MS });
    }
    const check = (from: number, to: number) => {
      const got = temp.store.usage.latency({ from, to });
      const expected = deployments.flatMap((d) => {
        const ok = records.filter(
          (c) => c.outcome === 'success' && c.provider === d.provider && c.startedAt >= from && c.startedAt < to,
        );
        if (ok.length === 0) return [];
        const latencies = ok.flatMap((c) => (c.latencyMs === null ? [] : [c.latencyMs]));
        const ttfts = ok.flatMap((c) => (c.ttftMs === null ? [] : [c.ttftMs]));
        return [{
          provider: d.provider, model: d.model, deployment: d.deployment ?? '',
          p50LatencyMs: expectedPercentile(latencies, 0.5), p95LatencyMs: expectedPercentile(latencies, 0.95),
          p50TtftMs: expectedPercentile(ttfts, 0.5), p95TtftMs: expectedPercentile(ttfts, 0.95),
        }];
      });
      const byKey = (x: { provider: string }, y: { provider: string }) => (x.provider < y.provider ? -1 : 1);
      expect([...got].sort(byKey)).toEqual(expected.sort(byKey));
    };
    check(T0, T0 + SPAN_DAYS * DAY_MS);
    check(T0 - 3 * HOUR_MS, T0 + 150 * DAY_MS + 7 * HOUR_MS + 5);
    for (let i = 0; i < 15; i++) {
      const from = T0 + Math.floor(random() * 100 * DAY_MS);
      check(from, from + 1 + Math.floor(random() * 100 * DAY_MS));
    }

    // A partial clear rebuilds the blocks around it.
    const clearFrom = T0 + 60 * DAY_MS + 12_345;
    const clearTo = T0 + 75 * DAY_MS + 3 * HOUR_MS;
    temp.store.usage.clear({ from: clearFrom, to: clearTo });
    records = records.filter((c) => c.outcome === null || c.startedAt < clearFrom || c.startedAt >= clearTo);
    check(T0, T0 + SPAN_DAYS * DAY_MS);
    check(T0 + 50 * DAY_MS, T0 + 130 * DAY_MS);

    // What the folds built equals what the migration fills from the daily histograms.
    temp.store.usage.latency({ from: T0, to: T0 + DAY_MS });
    const db = new Database(temp.path);
    try {
      const rows = () => db.prepare('SELECT * FROM usage_latency_span ORDER BY span, start, provider, model, deployment, metric, bin').all();
      const folded = rows();
      expect(folded.length).toBeGreaterThan(0);
      db.exec('BEGIN');
      for (const sql of rebuildLatencySpansSql()) db.prepare(sql).run({ lo: MIN_TIME, hi: MAX_TIME });
      const rebuilt = rows();
      db.exec('ROLLBACK');
      expect(rebuilt).toEqual(folded);
    } finally {
      db.close();
    }
  });
});
