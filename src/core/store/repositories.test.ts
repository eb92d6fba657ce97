import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallRecord } from './calls-repository';
import { type Store, openStore } from './open-store';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-repos-'));
  store = openStore({ path: join(dir, 'switchboard.db') });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(overrides: Partial<CallRecord> & Pick<CallRecord, 'id' | 'startedAt'>): CallRecord {
  return {
    requestId: `req-${overrides.id}`,
    attempt: 1,
    fallbackDepth: 0,
    conversationId: null,
    provider: 'local',
    model: 'local/tiny',
    deployment: null,
    inputTokens: { total: null, noCache: null, cacheRead: null, cacheWrite: null },
    outputTokens: { total: null, text: null, reasoning: null },
    costUsd: null,
    latencyMs: null,
    ttftMs: null,
    outcome: 'success',
    errorKind: null,
    errorMessage: null,
    endedAt: null,
    client: null,
    ...overrides,
  };
}

describe('conversations', () => {
  it('creates, lists by last activity, counts messages and deletes with its messages', () => {
    store.conversations.create({ id: 'a', title: 'First', model: null, createdAt: 100 });
    store.conversations.create({ id: 'b', title: 'Second', model: 'local/x', createdAt: 200 });
    store.messages.insert({ id: 'm1', conversationId: 'a', role: 'user', text: 'hi', model: null, status: 'complete', createdAt: 300 });
    store.conversations.touch('a', 300, 'local/y');

    expect(store.conversations.list(10).map((c) => c.id)).toEqual(['a', 'b']);
    expect(store.conversations.list(1)).toHaveLength(1);
    expect(store.conversations.get('a')).toEqual({
      id: 'a', title: 'First', model: 'local/y', messageCount: 1, createdAt: 100, updatedAt: 300,
    });
    // touch never moves time backwards, and keeps the model when none is given
    store.conversations.touch('a', 50);
    expect(store.conversations.get('a')).toMatchObject({ updatedAt: 300, model: 'local/y' });

    expect(store.conversations.delete('a')).toBe(true);
    expect(store.conversations.get('a')).toBeUndefined();
    expect(store.messages.get('m1')).toBeUndefined();
    expect(store.conversations.delete('a')).toBe(false);
  });
});

describe('messages', () => {
  beforeEach(() => {
    store.conversations.create({ id: 'c', title: 'T', model: null, createdAt: 1 });
  });

  it('keeps insertion order even when timestamps tie', () => {
    for (const id of ['z', 'y', 'x']) {
      store.messages.insert({ id, conversationId: 'c', role: 'user', text: id, model: null, status: 'complete', createdAt: 5 });
    }
    expect(store.messages.listByConversation('c').map((m) => m.id)).toEqual(['z', 'y', 'x']);
  });

  it('updates only the fields given, and keeps usage and errors as data', () => {
    store.messages.insert({ id: 'a', conversationId: 'c', role: 'assistant', text: '', model: 'local/x', status: 'streaming', createdAt: 2 });
    store.messages.update('a', { text: 'partial' });
    expect(store.messages.get('a')).toMatchObject({ text: 'partial', status: 'streaming', usage: null, error: null });

    store.messages.update('a', {
      status: 'complete',
      usage: { inputTokens: { total: 7 }, outputTokens: { total: 3, text: 3 }, raw: { huge: true } },
      latencyMs: 120,
      ttftMs: 30,
    });
    const done = store.messages.get('a');
    expect(done).toMatchObject({ text: 'partial', status: 'complete', latencyMs: 120, ttftMs: 30 });
    // unknown counts stay unknown (no zeros appear), and the provider's raw payload is not kept
    expect(done?.usage).toEqual({ inputTokens: { total: 7 }, outputTokens: { total: 3, text: 3 } });

    store.messages.update('a', { status: 'error', error: { kind: 'server', message: 'boom', retryable: true }, usage: null });
    expect(store.messages.get('a')).toMatchObject({
      status: 'error',
      usage: null,
      error: { kind: 'server', message: 'boom', retryable: true },
    });
  });

  it('fails every message a crash left streaming', () => {
    store.messages.insert({ id: 's', conversationId: 'c', role: 'assistant', text: 'half', model: null, status: 'streaming', createdAt: 2 });
    store.messages.insert({ id: 'k', conversationId: 'c', role: 'assistant', text: 'whole', model: null, status: 'complete', createdAt: 3 });
    const interrupted = { kind: 'engine_crashed' as const, message: 'interrupted', retryable: false };
    expect(store.messages.failStreaming(interrupted)).toBe(1);
    expect(store.messages.get('s')).toMatchObject({ status: 'error', text: 'half', error: interrupted });
    expect(store.messages.get('k')).toMatchObject({ status: 'complete', error: null });
    expect(store.messages.failStreaming(interrupted)).toBe(0);
  });
});

describe('calls', () => {
  it('round-trips a row with unknown counts as null, not 0', () => {
    const record = call({
      id: 'k1',
      startedAt: 1000,
      inputTokens: { total: 12, noCache: null, cacheRead: 4, cacheWrite: null },
      outputTokens: { total: 5, text: 5, reasoning: null },
      outcome: 'error',
      errorKind: 'timeout',
      errorMessage: 'no answer in 30 s',
      client: 'ws',
    });
    store.calls.insert(record);
    expect(store.calls.listByRequest('req-k1')).toEqual([record]);
  });

  it('orders the attempts of one request by fallback depth then attempt', () => {
    store.calls.insert(call({ id: 'c', requestId: 'r', startedAt: 3, fallbackDepth: 1, attempt: 1 }));
    store.calls.insert(call({ id: 'b', requestId: 'r', startedAt: 2, attempt: 2 }));
    store.calls.insert(call({ id: 'a', requestId: 'r', startedAt: 1, attempt: 1 }));
    expect(store.calls.listByRequest('r').map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });

  it('lists newest first within a range', () => {
    for (let i = 1; i <= 5; i++) store.calls.insert(call({ id: `k${i}`, startedAt: i * 10 }));
    expect(store.calls.list({ limit: 3 }).map((c) => c.id)).toEqual(['k5', 'k4', 'k3']);
    expect(store.calls.list({ from: 20, to: 40, limit: 10 }).map((c) => c.id)).toEqual(['k3', 'k2']);
  });

  it('summarizes totals, outcomes and models over a time range', () => {
    const tokens = (input: number | null, output: number | null) => ({
      inputTokens: { total: input, noCache: null, cacheRead: null, cacheWrite: null },
      outputTokens: { total: output, text: null, reasoning: null },
    });
    store.calls.insert(call({ id: '1', startedAt: 100, ...tokens(10, 5), costUsd: 0.5 }));
    store.calls.insert(call({ id: '2', startedAt: 200, ...tokens(20, null), outcome: 'aborted' }));
    store.calls.insert(call({ id: '3', startedAt: 300, provider: 'openai', model: 'gpt-4o-mini', ...tokens(1, 1), costUsd: 0.25 }));
    store.calls.insert(call({ id: '4', startedAt: 400, provider: 'openai', model: 'gpt-4o-mini', outcome: 'error' }));
    store.calls.insert(call({ id: '5', startedAt: 900, ...tokens(1000, 1000) }));

    const all = store.calls.summary({});
    expect(all.totals).toEqual({ calls: 5, inputTokens: 1031, outputTokens: 1006, costUsd: 0.75, uncostedCalls: 3 });

    const some = store.calls.summary({ from: 100, to: 900 });
    expect(some).toEqual({
      from: 100,
      to: 900,
      totals: { calls: 4, inputTokens: 31, outputTokens: 6, costUsd: 0.75, uncostedCalls: 2 },
      byOutcome: { success: 2, error: 1, aborted: 1, cache_hit: 0 },
      byModel: [
        { provider: 'local', model: 'local/tiny', calls: 2, inputTokens: 30, outputTokens: 5, costUsd: 0.5, uncostedCalls: 1 },
        { provider: 'openai', model: 'gpt-4o-mini', calls: 2, inputTokens: 1, outputTokens: 1, costUsd: 0.25, uncostedCalls: 1 },
      ],
    });
  });

  it('summarizes an empty range as zeros for every outcome', () => {
    expect(store.calls.summary({ from: 0, to: 1 })).toEqual({
      from: 0,
      to: 1,
      totals: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, uncostedCalls: 0 },
      byOutcome: { success: 0, error: 0, aborted: 0, cache_hit: 0 },
      byModel: [],
    });
  });

  it('begins a row in flight, leaves it out of the summary, and finishes it once', () => {
    store.calls.insert(call({ id: 'done', startedAt: 50, endedAt: 60, outcome: 'success' }));
    store.calls.begin({
      id: 'k', requestId: 'r', attempt: 1, fallbackDepth: 0, conversationId: null,
      provider: 'openai', model: 'gpt-4o-mini', deployment: 'gpt-4o-mini@eu', startedAt: 100, client: 'ws',
    });
    const inFlight = call({ id: 'k', requestId: 'r', startedAt: 100, provider: 'openai', model: 'gpt-4o-mini', deployment: 'gpt-4o-mini@eu', client: 'ws', outcome: null });
    expect(store.calls.listByRequest('r')).toEqual([inFlight]);
    expect(store.calls.list({ limit: 10 }).map((c) => c.id)).toEqual(['k', 'done']);
    // The dashboard sees only the call that ended: no phantom outcome, no model row.
    expect(store.calls.summary({})).toEqual({
      from: null,
      to: null,
      totals: { calls: 1, inputTokens: 0, outputTokens: 0, costUsd: 0, uncostedCalls: 1 },
      byOutcome: { success: 1, error: 0, aborted: 0, cache_hit: 0 },
      byModel: [{ provider: 'local', model: 'local/tiny', calls: 1, inputTokens: 0, outputTokens: 0, costUsd: 0, uncostedCalls: 1 }],
    });

    const end = {
      inputTokens: { total: 12, noCache: 8, cacheRead: 4, cacheWrite: null },
      outputTokens: { total: 3, text: 3, reasoning: null },
      costUsd: 0.01, latencyMs: 250, ttftMs: 40, outcome: 'success' as const, errorKind: null, errorMessage: null, endedAt: 350,
    };
    expect(store.calls.finish('k', end)).toBe(true);
    expect(store.calls.listByRequest('r')).toEqual([{ ...inFlight, ...end }]);
    expect(store.calls.summary({}).byOutcome.success).toBe(2);
    // Finished rows are never rewritten, and unknown ids change nothing.
    expect(store.calls.finish('k', { ...end, outcome: 'error', endedAt: 999 })).toBe(false);
    expect(store.calls.finish('missing', end)).toBe(false);
    expect(store.calls.listByRequest('r')[0]).toMatchObject({ outcome: 'success', endedAt: 350 });
  });

  it('fails every row a crash left in flight, ended at its start, with counts still unknown', () => {
    store.calls.insert(call({ id: 'done', startedAt: 50, endedAt: 60, outcome: 'aborted' }));
    for (const [id, startedAt] of [['a', 100], ['b', 200]] as const) {
      store.calls.begin({
        id, requestId: `req-${id}`, attempt: 1, fallbackDepth: 0, conversationId: null,
        provider: 'local', model: 'local/tiny', deployment: null, startedAt, client: null,
      });
    }
    const interruption = { errorKind: 'aborted' as const, errorMessage: 'interrupted' };
    expect(store.calls.failInFlight(interruption)).toBe(2);
    expect(store.calls.listByRequest('req-a')).toEqual([
      call({ id: 'a', startedAt: 100, endedAt: 100, outcome: 'error', errorKind: 'aborted', errorMessage: 'interrupted' }),
    ]);
    expect(store.calls.listByRequest('req-b')[0]).toMatchObject({ outcome: 'error', endedAt: 200, latencyMs: null });
    expect(store.calls.listByRequest('req-done')[0]).toMatchObject({ outcome: 'aborted', errorKind: null, endedAt: 60 });
    expect(store.calls.summary({}).byOutcome).toEqual({ success: 0, error: 2, aborted: 1, cache_hit: 0 });
    expect(store.calls.failInFlight(interruption)).toBe(0);
  });

  it('refuses a row that ended without an outcome', () => {
    expect(() => store.calls.insert(call({ id: 'x', startedAt: 1, endedAt: 2, outcome: null }))).toThrow(/call x: it has an end time \(2\) but no outcome/);
  });

  it('keeps call rows when their conversation is deleted', () => {
    store.conversations.create({ id: 'c', title: 'T', model: null, createdAt: 1 });
    store.calls.insert(call({ id: 'k', startedAt: 1, conversationId: 'c' }));
    store.conversations.delete('c');
    expect(store.calls.listByRequest('req-k')[0]?.conversationId).toBeNull();
  });
});
