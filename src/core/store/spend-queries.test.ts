import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallRecord } from './calls-repository';
import { type Store, openStore } from './open-store';
import { type SpendScope, createSpendQueries } from './spend-queries';

let dir: string;
let path: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-spend-'));
  path = join(dir, 'switchboard.db');
  store = openStore({ path });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 11, 6);
let n = 0;
function call(provider: string, model: string, deployment: string, costUsd: number | null, startedAt = T0): CallRecord {
  n += 1;
  return {
    id: `c${n}`, requestId: `r${n}`, attempt: 1, fallbackDepth: 0, conversationId: null, client: 'test',
    provider, model, deployment, startedAt, endedAt: startedAt + 10, outcome: 'success', errorKind: null, errorMessage: null,
    inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 },
    costUsd, latencyMs: 10, ttftMs: 5,
  };
}

const scopes: SpendScope[] = [{ kind: 'global' }, { kind: 'provider', name: 'openai' }, { kind: 'group', name: 'smart' }, { kind: 'model', id: 'openai/gpt-4o' }];

describe('spend queries bounded by a mark', () => {
  it('a whole read through one mark plus the rows after it through the next equals the whole read through the next, whatever was appended after', () => {
    const append = (costUsd: number, startedAt = T0) => {
      store.calls.insert(call('openai', 'gpt-4o', 'smart#0', costUsd, startedAt));
      store.calls.insert(call('claude', 'claude-sonnet-4-5', 'smart#1', costUsd * 2, startedAt));
      store.calls.insert(call('openai', 'gpt-4o-mini', 'openai/gpt-4o-mini', null, startedAt));
    };
    append(1);
    append(5, T0 - 1); // before the period
    const first = store.spend.mark();
    append(2);
    const second = store.spend.mark();
    append(4); // after the second mark: in no bounded read
    for (const scope of scopes) {
      const through1 = store.spend.spentUsd(scope, T0, first.row);
      const between = store.spend.spentUsdAfter(scope, T0, first.row, second.row);
      expect(through1 + between).toBeCloseTo(store.spend.spentUsd(scope, T0, second.row));
      expect(store.spend.spentUsd(scope, T0)).toBeGreaterThan(through1 + between);
    }
    expect(store.spend.spentUsd({ kind: 'global' }, T0, first.row)).toBeCloseTo(3);
    expect(store.spend.spentUsdAfter({ kind: 'provider', name: 'openai' }, T0, first.row, second.row)).toBeCloseTo(2);
    expect(store.spend.spentUsd({ kind: 'group', name: 'smart' }, T0)).toBeCloseTo(21);
  });

  it("counts a clear in the mark, whichever process's store made it, and only when it deleted rows", () => {
    store.calls.insert(call('openai', 'gpt-4o', 'smart#0', 1));
    const before = store.spend.mark();
    const other = openStore({ path }); // another process's store
    try {
      expect(other.usage.clear({ to: T0 - 1 })).toBe(0);
      expect(store.spend.mark()).toEqual(before);
      expect(other.usage.clear({})).toBe(1);
      expect(store.spend.mark().clears).toBe(before.clears + 1);
      store.calls.insert(call('openai', 'gpt-4o', 'smart#0', 2));
      store.usage.clear({ from: T0 });
      expect(other.spend.mark().clears).toBe(before.clears + 2);
    } finally {
      other.close();
    }
  });

  it('sums the period on the covering index and the rows after a mark by rowid', () => {
    const db = new Database(path, { readonly: true });
    const plans: string[] = [];
    const spied = new Proxy(db, {
      get(target, key) {
        if (key !== 'prepare') return Reflect.get(target, key) as unknown;
        return (sql: string) => {
          if (sql.includes('SUM(')) plans.push(`${sql.includes('rowid >') ? 'after' : sql.includes('rowid <=') ? 'through' : 'whole'}: ${target.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...sql.split('?').slice(1).map(() => 0)).map((r) => r.detail).join('; ')}`);
          return target.prepare(sql);
        };
      },
    });
    createSpendQueries(spied);
    db.close();
    for (const plan of plans) {
      if (plan.startsWith('after')) expect(plan).toMatch(/SEARCH calls USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
      else expect(plan).toMatch(/SEARCH calls USING COVERING INDEX calls_ended \(.*started_at>\?\)/);
    }
    expect(plans).toHaveLength(12);
  });
});
