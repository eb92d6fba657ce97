import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BudgetAlert } from '../../shared/contract/budgets';
import { createDeployment } from '../router';
import { type SpendQueries, type Store, openStore } from '../store';
import { type BudgetConfig, covers, createBudgetsService, parseScope, periodOf } from './budgets';
import { type RecordedSpend, createSpendTracker } from './spend-tracker';

let dir: string;
let store: Store;
let seq = 0;
// Mid-month, mid-day (local time), so both periods hold the calls below.
const NOW = new Date(2026, 4, 15, 12, 0, 0).getTime();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-budgets-'));
  store = openStore({ path: join(dir, 'switchboard.db') });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Records a call's row; returns what the routed caller tells the budgets about it. */
function call(provider: string, model: string, deployment: string | null, costUsd: number | null, startedAt = NOW - 1000): RecordedSpend {
  seq++;
  store.calls.insert({
    id: `c${seq}`, requestId: `r${seq}`, attempt: 1, fallbackDepth: 0, conversationId: null, provider, model, deployment,
    inputTokens: { total: 1, noCache: null, cacheRead: null, cacheWrite: null }, outputTokens: { total: 1, text: null, reasoning: null },
    costUsd, latencyMs: 10, ttftMs: 5, outcome: 'success', errorKind: null, errorMessage: null, startedAt, endedAt: startedAt + 10, client: 'test',
  });
  return { deployment: { id: deployment ?? `${provider}/${model}`, provider, model }, costUsd: costUsd ?? 0, startedAt };
}

function service(budgets: BudgetConfig[], now = () => NOW) {
  const alerts: BudgetAlert[] = [];
  const s = createBudgetsService({ spend: store.spend, budgets: () => budgets, clock: now, emit: (a) => alerts.push(a) });
  return { s, alerts };
}

const openai = createDeployment({ id: 'smart#0', provider: 'openai', providerType: 'openai', model: 'gpt-4o' });
const claude = createDeployment({ id: 'smart#1', provider: 'claude', providerType: 'anthropic', model: 'claude-sonnet-4-5' });
const local = createDeployment({ provider: 'local', providerType: 'local', model: 'tiny' });

describe('spend queries', () => {
  it('sums recorded cost per scope since a time, unknown costs as nothing', () => {
    call('openai', 'gpt-4o', 'smart#0', 1.5);
    call('openai', 'gpt-4o-mini', 'openai/gpt-4o-mini', 0.25);
    call('claude', 'claude-sonnet-4-5', 'smart#1', 2);
    call('claude', 'claude-sonnet-4-5', 'smartest#0', 4);
    call('openai', 'gpt-4o', 'smart#0', null);
    call('openai', 'gpt-4o', 'smart#0', 100, NOW - 40 * 86_400_000);
    const from = NOW - 86_400_000;
    expect(store.spend.spentUsd({ kind: 'global' }, from)).toBeCloseTo(7.75);
    expect(store.spend.spentUsd({ kind: 'provider', name: 'openai' }, from)).toBeCloseTo(1.75);
    expect(store.spend.spentUsd({ kind: 'group', name: 'smart' }, from)).toBeCloseTo(3.5);
    expect(store.spend.spentUsd({ kind: 'model', id: 'gpt-4o' }, from)).toBeCloseTo(1.5);
    expect(store.spend.spentUsd({ kind: 'model', id: 'openai/gpt-4o-mini' }, from)).toBeCloseTo(0.25);
    expect(store.spend.spentUsd({ kind: 'global' }, 0)).toBeCloseTo(107.75);
  });
});

describe('budgets', () => {
  it('periods run from local midnight and from the first of the month', () => {
    expect(periodOf('daily', NOW)).toEqual({ start: new Date(2026, 4, 15).getTime(), end: new Date(2026, 4, 16).getTime() });
    expect(periodOf('monthly', NOW)).toEqual({ start: new Date(2026, 4, 1).getTime(), end: new Date(2026, 5, 1).getTime() });
  });

  it('reports each limit: spent, percent, state, the threshold crossed, the period', () => {
    call('openai', 'gpt-4o', 'smart#0', 4.5);
    call('claude', 'claude-sonnet-4-5', 'smart#1', 3, new Date(2026, 4, 2).getTime());
    const { s } = service([{ scope: 'global', daily: 5, monthly: 10, onExceeded: 'fallback-local' }, { scope: 'provider:openai', daily: 4 }]);
    expect(s.status().budgets).toEqual([
      { scope: 'global', period: 'daily', limitUsd: 5, spentUsd: 4.5, percent: 90, state: 'warning', crossed: 80, action: 'fallback-local', periodStart: new Date(2026, 4, 15).getTime(), resetsAt: new Date(2026, 4, 16).getTime() },
      { scope: 'global', period: 'monthly', limitUsd: 10, spentUsd: 7.5, percent: 75, state: 'ok', crossed: 50, action: 'fallback-local', periodStart: new Date(2026, 4, 1).getTime(), resetsAt: new Date(2026, 5, 1).getTime() },
      { scope: 'provider:openai', period: 'daily', limitUsd: 4, spentUsd: 4.5, percent: 112.5, state: 'exceeded', crossed: 100, action: 'block', periodStart: new Date(2026, 4, 15).getTime(), resetsAt: new Date(2026, 4, 16).getTime() },
    ]);
  });

  it('drops the deployments a spent limit covers: block, or fallback-local when any spent limit says so; never a local one', () => {
    call('openai', 'gpt-4o', 'smart#0', 5);
    const blocked = service([{ scope: 'provider:openai', daily: 5 }]).s.forRequest();
    expect([blocked(openai), blocked(claude), blocked(local)]).toEqual(['block', 'ok', 'ok']);
    const both = service([{ scope: 'provider:openai', daily: 5 }, { scope: 'global', monthly: 1, onExceeded: 'fallback-local' }]).s.forRequest();
    expect([both(openai), both(claude), both(local)]).toEqual(['fallback-local', 'fallback-local', 'ok']);
    const warned = service([{ scope: 'global', daily: 1, onExceeded: 'warn' }]).s.forRequest();
    expect(warned(openai)).toBe('ok');
    const byGroup = service([{ scope: 'group:smart', daily: 1 }]).s.forRequest();
    expect([byGroup(openai), byGroup(claude), byGroup(createDeployment({ id: 'other#0', provider: 'openai', model: 'gpt-4o' }))]).toEqual(['block', 'block', 'ok']);
    const byModel = service([{ scope: 'model:openai/gpt-4o', daily: 1 }]).s.forRequest();
    expect([byModel(openai), byModel(claude)]).toEqual(['block', 'ok']);
  });

  it('reads each limit once per request', () => {
    const { spend, reads } = counted();
    const s = createBudgetsService({ spend, budgets: () => [{ scope: 'global', daily: 1 }], clock: () => NOW });
    const check = s.forRequest();
    check(openai);
    check(claude);
    check(openai);
    expect(reads).toEqual({ whole: 1, after: 0 });
  });

  it('alerts once per threshold per period, and a restart does not repeat what was already crossed', () => {
    const budgets: BudgetConfig[] = [{ scope: 'global', daily: 10, onExceeded: 'block' }];
    let now = NOW;
    const { s, alerts } = service(budgets, () => now);
    s.prime();
    const first = call('openai', 'gpt-4o', 'smart#0', 6);
    s.recorded(first);
    s.recorded({ ...first, costUsd: 0 });
    expect(alerts).toEqual([{ scope: 'global', period: 'daily', threshold: 50, spentUsd: 6, limitUsd: 10, action: 'block', at: NOW }]);
    s.recorded(call('openai', 'gpt-4o', 'smart#0', 5));
    expect(alerts.map((a) => a.threshold)).toEqual([50, 80, 100]);

    const restarted = service(budgets, () => now);
    restarted.s.prime();
    restarted.s.recorded(call('openai', 'gpt-4o', 'smart#0', 0.01));
    expect(restarted.alerts).toEqual([]);

    // The next day is a new period.
    now = NOW + 86_400_000;
    s.recorded(call('openai', 'gpt-4o', 'smart#0', 5, now - 1000));
    expect(alerts.slice(3).map((a) => [a.threshold, a.spentUsd])).toEqual([[50, 5]]);
  });
});

/** The store's spend queries, counting the reads of a whole period and of the rows after a mark. */
function counted(): { spend: SpendQueries; reads: { whole: number; after: number } } {
  const reads = { whole: 0, after: 0 };
  return {
    reads,
    spend: {
      spentUsd: (scope, from, throughRow) => (reads.whole++, store.spend.spentUsd(scope, from, throughRow)),
      spentUsdAfter: (scope, from, afterRow, throughRow) => (reads.after++, store.spend.spentUsdAfter(scope, from, afterRow, throughRow)),
      mark: () => store.spend.mark(),
    },
  };
}

describe('spend kept between reads (spend-tracker)', () => {
  it('checks requests without a query each; what this process records counts at once; other spend shows after refreshMs', () => {
    let now = NOW;
    const { spend, reads } = counted();
    const s = createBudgetsService({ spend, budgets: () => [{ scope: 'provider:openai', daily: 10 }], clock: () => now, timing: { refreshMs: 1_000, wholeMs: 60_000 } });
    s.prime();
    for (let i = 0; i < 100; i++) expect(s.forRequest()(openai)).toBe('ok');
    expect(reads).toEqual({ whole: 1, after: 0 });

    // Recorded here: counted at once, no query.
    s.recorded(call('openai', 'gpt-4o', 'smart#0', 9));
    s.recorded(call('claude', 'claude-sonnet-4-5', 'smart#1', 50));
    expect(s.forRequest()(openai)).toBe('ok');
    s.recorded(call('openai', 'gpt-4o-mini', 'openai/gpt-4o-mini', 1));
    expect(s.forRequest()(openai)).toBe('block');
    expect(reads).toEqual({ whole: 1, after: 0 });

    // Then only the rows written since are read: this process's (already counted, not twice) and another's.
    now += 1_000;
    expect(s.forRequest()(openai)).toBe('block');
    expect(reads).toEqual({ whole: 1, after: 1 });
    s.prime(); // a whole read agrees
    expect(s.status().budgets[0]?.spentUsd).toBeCloseTo(10);
    const before = { ...reads };
    call('openai', 'gpt-4o', 'smart#0', 5); // another process's call
    now += 1_000;
    s.forRequest()(openai);
    expect(s.status().budgets[0]?.spentUsd).toBeCloseTo(15);
    expect(reads.after).toBe(before.after + 1);

    // A clear here: the next read is whole, and the check sees the spend gone.
    store.usage.clear({});
    expect(s.forRequest()(openai)).toBe('block');
    now += 1_000;
    expect(s.forRequest()(openai)).toBe('ok');
    // What Settings shows is read whole every time.
    const whole = reads.whole;
    s.status();
    expect(reads.whole).toBe(whole + 1);
  });

  it("sees another process's clear at its next refresh, by a whole read", () => {
    let now = NOW;
    const { spend, reads } = counted();
    const tracker = createSpendTracker(spend, () => now, covers, { refreshMs: 1_000, wholeMs: 600_000 });
    const global = parseScope('global');
    call('openai', 'gpt-4o', 'smart#0', 1, NOW - 120_000);
    call('openai', 'gpt-4o', 'smart#0', 2);
    expect(tracker.spentUsd(global, 0)).toBe(3);
    // The older row only: the newest is still there, so only the clear count tells.
    const other = openStore({ path: store.path });
    other.usage.clear({ to: NOW - 60_000 });
    other.close();
    now += 1_000;
    expect(tracker.spentUsd(global, 0)).toBe(2);
    expect(reads).toEqual({ whole: 2, after: 0 });
  });

  it('reads the period whole again after wholeMs, and when the newest rows went missing (a clear elsewhere)', () => {
    let now = NOW;
    const { spend, reads } = counted();
    const tracker = createSpendTracker(spend, () => now, covers, { refreshMs: 1_000, wholeMs: 10_000 });
    const global = parseScope('global');
    call('openai', 'gpt-4o', 'smart#0', 1);
    const newest = call('openai', 'gpt-4o', 'smart#0', 2);
    expect(tracker.spentUsd(global, 0)).toBe(3);
    now += 1_000;
    expect(tracker.spentUsd(global, 0)).toBe(3);
    expect(reads).toEqual({ whole: 1, after: 1 });
    now += 9_000;
    expect(tracker.spentUsd(global, 0)).toBe(3);
    expect(reads).toEqual({ whole: 2, after: 1 });
    // Another process deletes the newest row (its own connection: no clear counted here).
    const other = new Database(store.path);
    other.prepare('DELETE FROM calls WHERE started_at = ? AND cost_usd = 2').run(newest.startedAt);
    other.close();
    now += 1_000;
    expect(tracker.spentUsd(global, 0)).toBe(1);
    expect(reads).toEqual({ whole: 3, after: 1 });
  });

  it('counts a row another process appends between a mark and its sum once, in the next read', () => {
    let now = NOW;
    const global = parseScope('global');
    let appendBeforeSum = false;
    // Another process commits right after each mark, before the sum that follows it.
    const spend: SpendQueries = {
      mark: () => {
        const mark = store.spend.mark();
        if (appendBeforeSum) call('openai', 'gpt-4o', 'smart#0', 1);
        return mark;
      },
      spentUsd: (scope, from, throughRow) => store.spend.spentUsd(scope, from, throughRow),
      spentUsdAfter: (scope, from, afterRow, throughRow) => store.spend.spentUsdAfter(scope, from, afterRow, throughRow),
    };
    const tracker = createSpendTracker(spend, () => now, covers, { refreshMs: 1_000, wholeMs: 60_000 });
    call('openai', 'gpt-4o', 'smart#0', 1);
    appendBeforeSum = true;
    expect(tracker.spentUsd(global, 0)).toBe(1); // the whole read stops at its mark
    now += 1_000;
    expect(tracker.spentUsd(global, 0)).toBe(2); // the row after it, and not the one after this mark
    appendBeforeSum = false;
    now += 1_000;
    expect(tracker.spentUsd(global, 0)).toBe(3);
    now += 1_000;
    expect(tracker.spentUsd(global, 0)).toBe(3);
    expect(store.spend.spentUsd(global, 0)).toBe(3);
  });

  it('moves each kept sum exactly as the spend query would see the same calls', () => {
    const scopes = ['global', 'provider:openai', 'provider:claude', 'group:smart', 'group:sma', 'model:gpt-4o', 'model:openai/gpt-4o-mini', 'model:claude-sonnet-4-5'].map(parseScope);
    const tracker = createSpendTracker(store.spend, () => NOW, covers, { refreshMs: 60_000 });
    const from = NOW - 3_600_000;
    for (const scope of scopes) expect(tracker.spentUsd(scope, from)).toBe(0);
    const deployments: [string, string, string][] = [
      ['openai', 'gpt-4o', 'smart#0'],
      ['claude', 'claude-sonnet-4-5', 'smart#1'],
      ['openai', 'gpt-4o-mini', 'openai/gpt-4o-mini'],
      ['claude', 'claude-sonnet-4-5', 'smartest#0'],
      ['openai', 'gpt-4o', 'sma#0'],
    ];
    let x = 7;
    for (let i = 0; i < 200; i++) {
      x = (x * 48271) % 2147483647;
      const [provider, model, deployment] = deployments[x % deployments.length] as [string, string, string];
      // Some start before `from` (counted by neither), some cost nothing.
      const startedAt = x % 7 === 0 ? from - 1 : from + (x % 1000);
      tracker.add(call(provider, model, deployment, (x % 5) * 0.1, startedAt));
    }
    for (const scope of scopes) expect(tracker.spentUsd(scope, from)).toBeCloseTo(store.spend.spentUsd(scope, from), 9);
  });
});
