import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AttemptEvent } from '../../shared/domain';
import { type CallOptions, type StreamPart, ProviderError, collectStream } from '../../shared/llm';
import { createCatalog } from '../catalog';
import { type BudgetVerdict, type Deployment, createDeployment, createRouter } from '../router';
import { type CallScript, type ScriptedModel, scriptedModel } from '../router/testing/scripted-model';
import { createVirtualTime } from '../router/testing/virtual-time';
import { type Store, openStore } from '../store';
import { type ResponseCacheSettings, createResponseCache } from './response-cache';
import { type RoutedCallRequest, createRoutedCaller } from './routed-call';
import { type RecordedSpend } from './spend-tracker';

let dir: string;
let store: Store;
const catalog = createCatalog();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-routed-'));
  store = openStore({ path: join(dir, 'switchboard.db') });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ask = (text = 'hi', extra: Partial<CallOptions> = {}): CallOptions => ({ messages: [{ role: 'user', content: [{ type: 'text', text }] }], ...extra });

interface Setup {
  scripts?: Record<string, CallScript[]>;
  verdict?: (d: Deployment) => BudgetVerdict;
  cache?: ResponseCacheSettings;
  onSpend?: (spend: RecordedSpend) => void;
}

/** A routed caller over group `g` (openai then claude, scripted in virtual time) and a real store. */
function setup({ scripts = {}, verdict, cache, onSpend }: Setup = {}) {
  const time = createVirtualTime(1_750_000_000_000);
  const models = new Map<string, ScriptedModel>();
  const deployments = [
    createDeployment({ id: 'g#0', provider: 'openai', model: 'gpt-4o', entry: catalog.lookupModel('openai', 'gpt-4o') }),
    createDeployment({ id: 'g#1', provider: 'claude', providerType: 'anthropic', model: 'sonnet' }),
  ];
  for (const d of deployments) models.set(d.id, scriptedModel(time, scripts[d.id] ?? [{}], { provider: d.provider, modelId: d.model }));
  const router = createRouter({
    groups: new Map([['g', { name: 'g', strategy: 'ordered', deployments, fallbacks: [] }]]),
    providerTypes: { openai: 'openai', claude: 'anthropic', local: 'local' },
    resolveModel: (d) => {
      const model = models.get(d.id) ?? models.get(`${d.provider}/${d.model}`);
      if (!model) throw new Error(`no model for ${d.id}`);
      return model;
    },
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
  });
  let ids = 0;
  const caller = createRoutedCaller({
    router: () => router,
    store,
    clock: time.clock.now,
    newId: () => `id-${++ids}`,
    isRouted: (name) => name === 'g',
    localId: async (name) => (name === 'tiny' ? 'local/tiny' : undefined),
    ...(verdict && { budgets: { forRequest: () => verdict, recorded: (spend: RecordedSpend) => onSpend?.(spend) } }),
    ...(cache && { cache: createResponseCache({ repository: store.responseCache, settings: () => cache, clock: time.clock.now, log: () => undefined }) }),
  });
  return { caller, time, models };
}

async function run(caller: ReturnType<typeof setup>['caller'], request: Partial<RoutedCallRequest> = {}) {
  const attempts: AttemptEvent[] = [];
  const call = await caller.stream({ model: 'g', options: ask(), client: 'gateway-token', conversationId: null, onAttempt: (a) => attempts.push(a), ...request });
  const parts: StreamPart[] = [];
  const reader = call.stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  const result = await collectStream(new ReadableStream({ start: (c) => (parts.forEach((p) => c.enqueue(p)), c.close()) }));
  return { call, parts, result, attempts, rows: store.calls.listByRequest(call.requestId) };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('routed caller', () => {
  it('writes one row per attempt, with the client, and reports each attempt as it ends', async () => {
    const { caller } = setup({ scripts: { 'g#0': [{ fault: { kind: 'server', retryable: true } }], 'g#1': [{ tokens: ['ok'] }] } });
    const { result, rows, attempts, call } = await run(caller);
    expect(result.text).toBe('ok');
    expect(call.group).toBe('g');
    expect(rows.map((r) => [r.attempt, r.provider, r.deployment, r.outcome, r.errorKind, r.client])).toEqual([
      [1, 'openai', 'g#0', 'error', 'server', 'gateway-token'],
      [2, 'claude', 'g#1', 'success', null, 'gateway-token'],
    ]);
    expect(attempts.map((a) => [a.type, a.attempt, a.group, a.deployment, a.outcome, a.errorKind])).toEqual([
      ['attempt', 1, 'g', 'g#0', 'error', 'server'],
      ['attempt', 2, 'g', 'g#1', 'success', null],
    ]);
  });

  it('routes a bare local name through the library id, and records the model as the library names it', async () => {
    const { caller, time, models } = setup();
    models.set('local/tiny', scriptedModel(time, [{ tokens: ['small'] }], { provider: 'local', modelId: 'tiny' }));
    const { rows, result } = await run(caller, { model: 'tiny' });
    expect(result.text).toBe('small');
    expect(rows).toMatchObject([{ attempt: 1, provider: 'local', model: 'local/tiny', deployment: 'local/tiny', outcome: 'success', costUsd: 0 }]);
  });

  it('rejects a name that resolves to nothing with not_found, and writes one request-level row', async () => {
    const { caller } = setup();
    const error = await rejection(caller.stream({ model: 'mystery', options: ask(), client: 'cli', requestId: 'r-1' }));
    expect(error.kind).toBe('not_found');
    expect(store.calls.listByRequest('r-1')).toMatchObject([
      { attempt: 0, fallbackDepth: 0, provider: 'router', model: 'mystery', deployment: null, outcome: 'error', errorKind: 'not_found', costUsd: 0, client: 'cli', errorMessage: expect.stringContaining('no model "mystery"') },
    ]);
  });

  it('rejects with a budget error when every deployment is over budget, the row saying why each was dropped', async () => {
    const { caller } = setup({ verdict: () => 'block' });
    const error = await rejection(caller.stream({ model: 'g', options: ask(), client: 'chat', requestId: 'r-2', conversationId: null }));
    expect(error.kind).toBe('budget');
    const [row] = store.calls.listByRequest('r-2');
    expect(row).toMatchObject({ attempt: 0, provider: 'router', model: 'g', outcome: 'error', errorKind: 'budget' });
    expect(row?.errorMessage).toBe('no deployment of "g" can take this request: openai/gpt-4o: its budget is spent; claude/sonnet: its budget is spent');
  });

  it('rejects with the last error when every attempt failed before any content, rows for the attempts only', async () => {
    const { caller } = setup({ scripts: { 'g#0': [{ reject: { kind: 'auth' } }], 'g#1': [{ reject: { kind: 'auth' } }] } });
    const error = await rejection(caller.stream({ model: 'g', options: ask(), client: 'chat', requestId: 'r-3' }));
    expect(error.kind).toBe('auth');
    expect(store.calls.listByRequest('r-3').map((r) => [r.attempt, r.outcome])).toEqual([[1, 'error']]);
  });

  it('a failure after content is an error part in the stream, not a rejection', async () => {
    const { caller } = setup({ scripts: { 'g#0': [{ tokens: ['a', 'b', 'c'], fault: { kind: 'connection', afterTokens: 2 } }] } });
    const { parts, rows } = await run(caller);
    expect(parts.at(-2)).toMatchObject({ type: 'error', error: { kind: 'connection' } });
    expect(rows.map((r) => r.outcome)).toEqual(['error']);
  });

  it('an abort before anything was attempted rejects as aborted, with an aborted request-level row', async () => {
    const { caller } = setup();
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(caller.stream({ model: 'g', options: ask('hi', { abortSignal: controller.signal }), client: 'chat', requestId: 'r-4' }));
    expect(error.kind).toBe('aborted');
    expect(store.calls.listByRequest('r-4')).toMatchObject([{ attempt: 0, outcome: 'aborted', errorKind: 'aborted' }]);
  });

  it('tells the budgets what an attempt that cost something spent, where and when, once it is recorded', async () => {
    const spent: RecordedSpend[] = [];
    const { caller } = setup({ verdict: () => 'ok', onSpend: (spend) => spent.push(spend) });
    const { rows } = await run(caller, { options: ask('hi') });
    expect(rows[0]?.costUsd).toBeGreaterThan(0);
    expect(spent).toEqual([{ deployment: { id: 'g#0', provider: rows[0]?.provider, model: rows[0]?.model }, costUsd: rows[0]?.costUsd, startedAt: rows[0]?.startedAt }]);
  });
});

describe('routed caller: response cache', () => {
  const on: ResponseCacheSettings = { enabled: true, ttlSeconds: 60 };

  it('replays a stored reply as a cache_hit row with cost 0, without calling the model', async () => {
    const { caller, models, time } = setup({ cache: on, scripts: { 'g#0': [{ tokens: ['cached', ' answer'], usage: { input: 5, output: 2 } }] } });
    const first = await run(caller, { options: ask('same', { temperature: 0 }) });
    expect(first.result.text).toBe('cached answer');
    time.advance(1000);
    const second = await run(caller, { options: ask('same', { temperature: 0 }) });
    expect(second.result.text).toBe('cached answer');
    expect(second.result.finishReason).toMatchObject({ unified: 'stop' });
    expect(models.get('g#0')?.calls).toHaveLength(1);
    expect(second.rows).toMatchObject([{ attempt: 1, outcome: 'cache_hit', costUsd: 0, provider: 'openai', model: 'gpt-4o', deployment: 'g#0', inputTokens: { total: null } }]);
    expect(second.attempts).toMatchObject([{ type: 'attempt', outcome: 'cache_hit', group: 'g', deployment: 'g#0' }]);
    // Another prompt is another key; after the TTL the entry is gone.
    await run(caller, { options: ask('other', { temperature: 0 }) });
    time.advance(61_000);
    await run(caller, { options: ask('same', { temperature: 0 }) });
    expect(models.get('g#0')?.calls).toHaveLength(3);
  });

  it('never caches sampled replies (temperature above 0 or unset) unless the config says so', async () => {
    const { caller, models } = setup({ cache: on });
    await run(caller, { options: ask('x', { temperature: 0.7 }) });
    await run(caller, { options: ask('x', { temperature: 0.7 }) });
    await run(caller, { options: ask('x') });
    await run(caller, { options: ask('x') });
    expect(models.get('g#0')?.calls).toHaveLength(4);
    const sampled = setup({ cache: { ...on, sampled: true } });
    await run(sampled.caller, { options: ask('x', { temperature: 0.7 }) });
    await run(sampled.caller, { options: ask('x', { temperature: 0.7 }) });
    expect(sampled.models.get('g#0')?.calls).toHaveLength(1);
  });

  it('caches only complete, successful replies', async () => {
    const { caller, models } = setup({ cache: on, scripts: { 'g#0': [{ tokens: ['a', 'b'], fault: { kind: 'connection', afterTokens: 1 } }, { tokens: ['fine'] }] } });
    await run(caller, { options: ask('q', { temperature: 0 }) });
    const second = await run(caller, { options: ask('q', { temperature: 0 }) });
    expect(second.rows.map((r) => r.outcome)).toEqual(['success']);
    const third = await run(caller, { options: ask('q', { temperature: 0 }) });
    expect(third.rows.map((r) => r.outcome)).toEqual(['cache_hit']);
    expect(third.result.text).toBe('fine');
    expect(models.get('g#0')?.calls).toHaveLength(2);
  });

  it('is off by default, and limited to the groups it names', async () => {
    const off = setup({ cache: {} });
    await run(off.caller, { options: ask('q', { temperature: 0 }) });
    await run(off.caller, { options: ask('q', { temperature: 0 }) });
    expect(off.models.get('g#0')?.calls).toHaveLength(2);
    const elsewhere = setup({ cache: { enabled: true, groups: ['other'] } });
    await run(elsewhere.caller, { options: ask('q', { temperature: 0 }) });
    await run(elsewhere.caller, { options: ask('q', { temperature: 0 }) });
    expect(elsewhere.models.get('g#0')?.calls).toHaveLength(2);
  });
});
