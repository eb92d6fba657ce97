import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import { ContractFailure } from '../api/contract-failure';
import { createCatalog } from '../catalog';
import { type CallRecord, type Store, openStore } from '../store';
import { createUsageService, defaultBucket } from './usage-service';

let dir: string;
let store: Store;
const catalog = createCatalog();
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-usage-service-'));
  store = openStore({ path: join(dir, 'switchboard.db') });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function call(over: Partial<CallRecord> & Pick<CallRecord, 'startedAt'>): CallRecord {
  n++;
  return {
    id: `c${n}`, requestId: `r${n}`, attempt: 1, fallbackDepth: 0, conversationId: null,
    provider: 'local', model: 'local/tiny', deployment: null,
    inputTokens: { total: 1_000_000, noCache: 1_000_000, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 1_000_000, text: 1_000_000, reasoning: 0 },
    costUsd: 0, latencyMs: 100, ttftMs: 10, outcome: 'success', errorKind: null, errorMessage: null,
    endedAt: over.startedAt + 100, client: null, ...over,
  };
}

function failure(fn: () => unknown): ContractFailure {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContractFailure) return error;
    throw error;
  }
  throw new Error('expected a ContractFailure');
}

describe('usage service', () => {
  it('prices local runs at the chosen cloud model with the catalog', () => {
    store.calls.insert(call({ startedAt: T0 + 1 }));
    store.calls.insert(call({ startedAt: T0 + 2, provider: 'openai', model: 'gpt-4o-mini', costUsd: 0.5 }));
    const service = createUsageService(store, { catalog });
    const d = service.dashboard({ from: T0, to: T0 + DAY, savingsModel: 'openai/gpt-4o-mini' });
    const prices = catalog.lookupModel('openai', 'gpt-4o-mini')?.prices;
    expect(d.savings.localCalls).toBe(1);
    expect(d.savings.costUsd).toBeCloseTo((prices?.input ?? NaN) + (prices?.output ?? NaN), 9); // 1M in + 1M out
    expect(d.savings.model?.ref).toBe('openai/gpt-4o-mini');
    expect(d.savings.candidates.some((c) => c.ref === 'anthropic/claude-sonnet-4-5')).toBe(true);
    expect(d.totals).toMatchObject({ calls: 2, costUsd: 0.5, uncostedCalls: 0 });
    expect(d.bucket).toBe('hour');
    expect(d.spend.starts).toHaveLength(24);
    expect(d.spend.byProvider.map((s) => s.key)).toEqual(['openai', 'local']);
    expect(d.spend.byModel.map((s) => s.key)).toEqual(['openai/gpt-4o-mini', 'local/tiny']);
    expect(d.spend.byProvider[0]?.costUsd[0]).toBe(0.5);
  });

  it('joins each deployment with its breaker from the router', () => {
    store.calls.insert(call({ startedAt: T0 + 1, deployment: 'fast#0' }));
    store.calls.insert(call({ startedAt: T0 + 2, deployment: 'fast#0', outcome: 'error', errorKind: 'server' }));
    const breakers = () => [{ deploymentId: 'fast#0', group: 'fast', provider: 'local', model: 'tiny', requests: 2, successRate: 0.5,
      p50LatencyMs: 100, p95LatencyMs: 100, p50TtftMs: 10, p95TtftMs: 10, breaker: 'open' as const, lastError: null }];
    const [row] = createUsageService(store, { catalog, breakers }).dashboard({ from: T0, to: T0 + DAY }).deployments;
    expect(row).toMatchObject({ key: 'fast#0', calls: 2, successes: 1, errors: 1, successRate: 0.5, breaker: 'open', p50LatencyMs: 100 });
  });

  it('refuses what it cannot answer, saying what to change', () => {
    const service = createUsageService(store, { catalog });
    expect(failure(() => service.dashboard({ from: T0 + DAY, to: T0 })).message).toMatch(/must start before it ends/);
    expect(failure(() => service.dashboard({ from: T0, to: T0 + 90 * DAY, bucket: 'hour' })).message).toMatch(/2160 points.*choose a wider bucket/);
    expect(failure(() => service.dashboard({ from: T0, to: T0 + DAY, savingsModel: 'nowhere/x' })).message).toMatch(/not a priced cloud model.*openai\/gpt-4o-mini/);
    expect(failure(() => service.exportCsv({ from: T0, to: T0 })).code).toBe('VALIDATION_FAILED');
  });

  it('validates route input at the boundary with clear messages', () => {
    const dashboard = contract['usage.dashboard'].input;
    expect(dashboard.safeParse({ from: T0, to: T0 + DAY }).success).toBe(true);
    const reversed = dashboard.safeParse({ from: T0 + DAY, to: T0 });
    expect(reversed.error?.issues[0]?.message).toBe('from must be before to (the range is [from, to))');
    expect(dashboard.safeParse({ from: 1.5, to: T0 }).error?.issues[0]?.message).toBe('from must be a whole number of epoch milliseconds');
    expect(dashboard.safeParse({ from: T0, to: T0 + 1, bucket: 'month' }).success).toBe(false);
    const clear = contract['usage.clear'].input;
    expect(clear.safeParse({}).error?.issues[0]?.message).toBe('usage.clear deletes usage history for good: pass confirm: true');
    expect(clear.safeParse({ confirm: true }).success).toBe(true);
  });

  it('exports the range as CSV with a header and quoted fields, and clears it', () => {
    store.conversations.create({ id: 'a', title: 'Tabs, "quotes"', model: null, createdAt: T0 });
    store.calls.insert(call({ startedAt: T0 + 1, conversationId: 'a' }));
    store.calls.insert(call({ startedAt: T0 + 2, outcome: 'error', errorKind: 'server', errorMessage: 'line 1\nline 2', costUsd: null }));
    store.calls.begin({ id: 'flying', requestId: 'rf', attempt: 1, fallbackDepth: 0, conversationId: null, provider: 'local', model: 'local/tiny', deployment: null, startedAt: T0 + 3, client: null });
    const service = createUsageService(store, { catalog });
    const out = service.exportCsv({ from: T0, to: T0 + DAY });
    expect(out.rows).toBe(2);
    expect(out.filename).toBe('switchboard-usage-2026-01-05-to-2026-01-05.csv');
    const [header, first, second] = out.csv.split('\r\n');
    expect(header?.split(',').slice(0, 6)).toEqual(['started_at', 'ended_at', 'provider', 'model', 'deployment', 'outcome']);
    expect(first).toContain('"Tabs, ""quotes"""');
    expect(out.csv).toContain('"line 1\nline 2"');
    expect(second?.startsWith('2026-01-05T00:00:00.002Z,')).toBe(true);

    expect(service.clear({ from: T0, to: T0 + DAY })).toEqual({ deleted: 2 });
    expect(store.calls.listByRequest('rf')).toHaveLength(1); // in flight: kept
  });

  it('picks hour, day or week buckets by the range', () => {
    expect(defaultBucket(0, DAY)).toBe('hour');
    expect(defaultBucket(0, 7 * DAY)).toBe('day');
    expect(defaultBucket(0, 90 * DAY)).toBe('week');
  });
});
