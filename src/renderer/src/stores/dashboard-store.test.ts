import { describe, expect, it } from 'vitest';
import type { UsageDashboard } from '../../../shared/contract';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { createDashboardStore, rangeFor } from './dashboard-store';

// 5 Jan 2026, 15:30 local time
const NOW = new Date(2026, 0, 5, 15, 30).getTime();
const midnight = (y: number, m: number, d: number) => new Date(y, m, d).getTime();

function dashboard(over: Partial<UsageDashboard> = {}): UsageDashboard {
  const kinds = { inputNoCache: 0, cacheRead: 0, cacheWrite: 0, outputText: 0, reasoning: 0 };
  return {
    from: 0, to: 1, bucket: 'day', bucketMs: 86_400_000,
    totals: { calls: 1, successes: 1, errors: 0, aborted: 0, costUsd: 0, uncostedCalls: 0, inputTokens: 10, outputTokens: 5 },
    tokens: kinds, spend: { starts: [], byProvider: [], byModel: [] }, deployments: [], topConversations: [],
    savings: { model: { ref: 'openai/gpt-4o-mini', label: 'gpt 4o mini', inputPerMillion: 0.15, outputPerMillion: 0.6 }, candidates: [], localCalls: 0, localTokens: kinds, costUsd: 0, note: null },
    ...over,
  };
}

describe('dashboard ranges', () => {
  it('presets are whole local days ending with today', () => {
    const custom = { from: '', to: '' };
    expect(rangeFor('today', NOW, custom)).toEqual({ from: midnight(2026, 0, 5), to: midnight(2026, 0, 6) });
    expect(rangeFor('7d', NOW, custom)).toEqual({ from: midnight(2025, 11, 30), to: midnight(2026, 0, 6) });
    expect(rangeFor('30d', NOW, custom)).toEqual({ from: midnight(2025, 11, 7), to: midnight(2026, 0, 6) });
  });

  it('a custom range takes both days, and says what is wrong with a bad one', () => {
    expect(rangeFor('custom', NOW, { from: '2026-01-01', to: '2026-01-03' })).toEqual({ from: midnight(2026, 0, 1), to: midnight(2026, 0, 4) });
    expect(rangeFor('custom', NOW, { from: '2026-01-03', to: '2026-01-01' })).toEqual({ error: 'The end date is before the start date.' });
    expect(rangeFor('custom', NOW, { from: '', to: '2026-01-01' })).toEqual({ error: 'Pick both a start and an end date.' });
  });
});

describe('dashboard store', () => {
  it('loads the range when shown, keeps the savings model the host chose, and asks again with a new one', async () => {
    const fake = createFakeTransport({ 'usage.dashboard': () => ({ ok: true, data: dashboard() }) });
    const store = createDashboardStore({ client: createClient(fake.transport), now: () => NOW });
    store.getState().show();
    await expect.poll(() => store.getState().status).toBe('ready');
    expect(fake.requests.at(-1)).toEqual({ route: 'usage.dashboard', input: { from: midnight(2025, 11, 30), to: midnight(2026, 0, 6) } });
    expect(store.getState()).toMatchObject({ visible: true, savingsModel: 'openai/gpt-4o-mini' });

    store.getState().setPreset('today');
    store.getState().setSavingsModel('anthropic/claude-haiku-4-5');
    await expect.poll(() => fake.requests.length).toBe(3);
    expect(fake.requests.at(-1)?.input).toEqual({ from: midnight(2026, 0, 5), to: midnight(2026, 0, 6), savingsModel: 'anthropic/claude-haiku-4-5' });
  });

  it('shows the host’s error, exports, and clears the range after confirming', async () => {
    let calls = 1;
    const fake = createFakeTransport({
      'usage.dashboard': () => ({ ok: true, data: dashboard({ totals: { ...dashboard().totals, calls } }) }),
      'usage.export': () => ({ ok: true, data: { filename: 'u.csv', csv: 'a\r\n', rows: 1 } }),
      'usage.clear': () => {
        calls = 0;
        return { ok: true, data: { deleted: 1 } };
      },
    });
    const store = createDashboardStore({ client: createClient(fake.transport), now: () => NOW });
    await store.getState().refresh();
    expect(await store.getState().exportCsv()).toEqual({ filename: 'u.csv', csv: 'a\r\n', rows: 1 });
    expect(store.getState().notice).toBe('Exported 1 call to u.csv.');

    await store.getState().clear('range');
    expect(fake.requests.find((r) => r.route === 'usage.clear')?.input).toEqual({ from: midnight(2025, 11, 30), to: midnight(2026, 0, 6), confirm: true });
    expect(store.getState().data?.totals.calls).toBe(0);
    expect(store.getState().notice).toBe('Deleted 1 call from the usage history.');

    await store.getState().clear('all');
    expect(fake.requests.filter((r) => r.route === 'usage.clear').at(-1)?.input).toEqual({ confirm: true });
  });

  it('keeps the last numbers and says why when a refresh fails', async () => {
    let ok = true;
    const fake = createFakeTransport({
      'usage.dashboard': () => (ok ? { ok: true, data: dashboard() } : { ok: false, error: { code: 'VALIDATION_FAILED', message: 'bad range' } }),
    });
    const store = createDashboardStore({ client: createClient(fake.transport), now: () => NOW });
    await store.getState().refresh();
    ok = false;
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ status: 'error', error: 'bad range' });
    expect(store.getState().data).not.toBeNull();
  });
});
