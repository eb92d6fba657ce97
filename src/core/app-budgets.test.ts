import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIWire } from '../../test/wire/openai-wire';
import type { WireServer } from '../../test/wire/scenario';
import { type BudgetAlert, type BudgetStatus, type ChatEvent, HOST_EVENTS } from '../shared/contract';
import { type ConversationDetail } from '../shared/domain';
import { type Core, createCore } from './app';
import { dataDirLayout } from './config/data-dir';
import { writeTestModel } from './models/test-model';
import { runChat } from './testing/run-chat';

/**
 * The router's config through the composed core and real wire servers: budgets (a spent one falls
 * back to the local model, or blocks), the response cache, aliases, prompt rules, request-level
 * rows, message routes, and health rebuilt from the calls rows after a restart.
 */
let dir: string;
let core: Core;
let wire: WireServer;
let other: WireServer;
let now = new Date(2026, 4, 15, 12, 0, 0).getTime();
const events: Array<{ name: string; data: unknown }> = [];

const configText = `
providers:
  one: { type: openai, baseURL: \${ONE}, apiKey: sk-one-test-0000111122223333 }
  two: { type: openai, baseURL: \${TWO}, apiKey: sk-two-test-0000111122223333 }
groups:
  thrifty:
    deployments: [{ provider: one, model: gpt-4o-mini }]
  strict:
    deployments: [{ provider: two, model: gpt-4o-mini }]
  coder:
    deployments: [{ provider: two, model: gpt-4o }]
  cached:
    deployments: [{ provider: two, model: gpt-4o }]
aliases:
  cheap: thrifty
  direct: two/gpt-4o
rules:
  - { when: { prompt: "stack ?trace" }, use: coder }
budgets:
  - { scope: "provider:one", daily: 0.01, onExceeded: fallback-local }
  - { scope: "group:strict", monthly: 0.01, onExceeded: block }
router:
  maxRetries: 0
  localFallback: tiny
cache:
  enabled: true
  groups: [cached]
  ttlSeconds: 600
`;

beforeAll(async () => {
  [wire, other] = await Promise.all([startOpenAIWire(), startOpenAIWire()]);
  dir = mkdtempSync(join(tmpdir(), 'sb-core-budgets-'));
  mkdirSync(join(dir, 'models'));
  const tiny = await writeTestModel(join(dir, 'models', 'tiny.gguf'), { preset: 'tiny' });
  writeFileSync(join(dir, 'switchboard.yaml'), configText);
  core = await start();
  await core.engine.load(tiny.path);
});
afterAll(async () => {
  await core?.dispose();
  await Promise.all([wire?.close(), other?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<Core> {
  const started = await createCore({
    dataDir: dir,
    engineOptions: { threads: 1 },
    env: { ONE: wire.baseURL, TWO: other.baseURL },
    clock: () => now,
    router: { sleep: async (ms) => void (now += ms), random: () => 0.5 },
  });
  started.onEvent((name, data) => events.push({ name, data }));
  return started;
}

const send = (input: Record<string, unknown>) => runChat(core.dispatcher, { maxOutputTokens: 4, temperature: 0, ...input });
const textOf = (chunks: ChatEvent[]) => chunks.filter((c) => c.type === 'text-delta').map((c) => (c as { delta: string }).delta).join('');
const startOf = (chunks: ChatEvent[]) => chunks[0] as Extract<ChatEvent, { type: 'chat-start' }>;

interface Row {
  attempt: number;
  fallback_depth: number;
  provider: string;
  model: string;
  deployment: string | null;
  outcome: string | null;
  error_kind: string | null;
  error_message: string | null;
  cost_usd: number | null;
  client: string | null;
}

function rowsOf(requestId: string): Row[] {
  const db = new Database(dataDirLayout(dir).database, { readonly: true });
  try {
    return db.prepare('SELECT * FROM calls WHERE request_id = ? ORDER BY attempt').all(requestId) as Row[];
  } finally {
    db.close();
  }
}

async function request<T>(route: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatcher.request(route, input, 'test');
  if (!result.ok) throw new Error(`${route}: ${result.error.message}`);
  return result.data as T;
}

describe('core: budgets', () => {
  it('a spent budget falls back to the local model, one hop deeper, and alerts at 50/80/100%', async () => {
    // A million input tokens of gpt-4o-mini: well past the one cent a day of provider "one".
    wire.enqueue({ text: ['paid'], usage: { input: 1_000_000, output: 1 } });
    const paid = await send({ model: 'thrifty', text: 'first' });
    expect(textOf(paid.chunks)).toBe('paid');
    expect(rowsOf(startOf(paid.chunks).requestId)[0]!.cost_usd).toBeGreaterThan(0.01);
    const alerts = events.filter((e) => e.name === HOST_EVENTS.budgetAlert).map((e) => e.data as BudgetAlert);
    expect(alerts.map((a) => [a.scope, a.period, a.threshold, a.action])).toEqual([
      ['provider:one', 'daily', 50, 'fallback-local'],
      ['provider:one', 'daily', 80, 'fallback-local'],
      ['provider:one', 'daily', 100, 'fallback-local'],
    ]);

    const before = wire.requests.length;
    const local = await send({ model: 'cheap', text: 'second' });
    expect(local.error).toBeUndefined();
    expect(wire.requests.length).toBe(before);
    expect(textOf(local.chunks).length).toBeGreaterThan(0);
    expect(local.chunks.at(-1)).toMatchObject({ type: 'finish' });
    expect(rowsOf(startOf(local.chunks).requestId).map((r) => [r.attempt, r.fallback_depth, r.provider, r.model, r.deployment, r.outcome])).toEqual([
      [1, 1, 'local', 'local/tiny', 'local/tiny', 'success'],
    ]);
    // The live route, as the chat window sees it.
    expect(local.chunks.filter((c) => c.type === 'attempt')).toMatchObject([{ attempt: 1, fallbackDepth: 1, deployment: 'local/tiny', outcome: 'success' }]);

    const status = await request<{ budgets: BudgetStatus[] }>('budgets.status');
    expect(status.budgets[0]).toMatchObject({ scope: 'provider:one', period: 'daily', state: 'exceeded', crossed: 100, action: 'fallback-local' });
  }, 60_000);

  it('block gives the budget error, and a request-level row says why', async () => {
    other.enqueue({ text: ['spent'], usage: { input: 1_000_000, output: 1 } });
    expect((await send({ model: 'strict', text: 'spend it' })).error).toBeUndefined();
    const before = other.requests.length;
    const { chunks, error } = await send({ model: 'strict', text: 'once more' });
    expect(error).toBeUndefined();
    expect(other.requests.length).toBe(before);
    expect(chunks.find((c) => c.type === 'error')).toMatchObject({ error: { kind: 'budget', message: expect.stringContaining('two/gpt-4o-mini: its budget is spent') } });
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'error' } });
    expect(rowsOf(startOf(chunks).requestId)).toMatchObject([
      { attempt: 0, provider: 'router', model: 'strict', deployment: null, outcome: 'error', error_kind: 'budget', cost_usd: 0 },
    ]);
    const conversation = await request<ConversationDetail>('conversations.get', { id: startOf(chunks).conversationId });
    expect(conversation.messages[1]).toMatchObject({ status: 'error', route: { attempts: [{ attempt: 0, provider: 'router', outcome: 'error', errorKind: 'budget' }], served: { attempt: 0 } } });
  });
});

describe('core: cache, aliases, rules, routes, health', () => {
  it('a repeated temperature-0 request is a cache hit: cost 0, outcome cache_hit, no wire request', async () => {
    other.enqueue({ text: ['fresh', ' answer'], usage: { input: 12, output: 2 } });
    const first = await send({ model: 'cached', text: 'same question' });
    expect(textOf(first.chunks)).toBe('fresh answer');
    const before = other.requests.length;
    const second = await send({ model: 'cached', text: 'same question' });
    expect(other.requests.length).toBe(before);
    expect(textOf(second.chunks)).toBe('fresh answer');
    expect(rowsOf(startOf(second.chunks).requestId)).toMatchObject([{ attempt: 1, outcome: 'cache_hit', cost_usd: 0, provider: 'two', deployment: 'cached#0' }]);
    const conversation = await request<ConversationDetail>('conversations.get', { id: startOf(second.chunks).conversationId });
    expect(conversation.messages[1]?.route).toMatchObject({ cached: true, costUsd: 0, served: { outcome: 'cache_hit', deployment: 'cached#0' } });
  });

  it('an alias names a provider/model; a prompt rule picks its group; each reply keeps its route', async () => {
    other.enqueue({ text: ['via alias'], usage: { input: 3, output: 2 } });
    const aliased = await send({ model: 'direct', text: 'hello', temperature: 0.5 });
    expect(textOf(aliased.chunks)).toBe('via alias');
    expect(rowsOf(startOf(aliased.chunks).requestId)).toMatchObject([{ provider: 'two', model: 'gpt-4o', deployment: 'two/gpt-4o', outcome: 'success' }]);

    other.enqueue({ text: ['coder here'], usage: { input: 3, output: 2 } });
    const ruled = await send({ model: 'strict', text: 'what does this Stack Trace mean?', temperature: 0.5 });
    expect(textOf(ruled.chunks)).toBe('coder here');
    expect(rowsOf(startOf(ruled.chunks).requestId)).toMatchObject([{ deployment: 'coder#0', outcome: 'success' }]);
    const conversation = await request<ConversationDetail>('conversations.get', { id: startOf(ruled.chunks).conversationId });
    expect(conversation.messages[1]).toMatchObject({
      requestId: startOf(ruled.chunks).requestId,
      route: { served: { deployment: 'coder#0', provider: 'two', model: 'gpt-4o', outcome: 'success' }, fallbacks: 0, tokens: { input: 3, output: 2 }, cached: false },
    });
  });

  it('lists the groups and aliases for the model picker, and what callers can name', async () => {
    const { groups } = await request<{ groups: Array<{ name: string; kind: string; targets: string[] }> }>('routing.groups');
    expect(groups.map((g) => [g.name, g.kind, g.targets.join(' ')])).toEqual([
      ['thrifty', 'group', 'one/gpt-4o-mini'],
      ['strict', 'group', 'two/gpt-4o-mini'],
      ['coder', 'group', 'two/gpt-4o'],
      ['cached', 'group', 'two/gpt-4o'],
      ['auto', 'group', ''],
      ['cheap', 'alias', 'thrifty'],
      ['direct', 'alias', 'two/gpt-4o'],
    ]);
    const targets = await core.calls.targets();
    expect(targets.filter((t) => t.kind !== 'group').map((t) => t.id)).toEqual(['cheap', 'direct', 'one/gpt-4o-mini', 'two/gpt-4o-mini', 'two/gpt-4o', 'local/tiny']);
  });

  it('health is rebuilt from the calls rows after a restart', async () => {
    await core.dispose();
    core = await start();
    const health = await request<{ deployments: Array<{ deploymentId: string; requests: number; successRate: number | null }> }>('health.list');
    expect(health.deployments.find((d) => d.deploymentId === 'coder#0')).toMatchObject({ requests: 1, successRate: 1 });
    expect(health.deployments.find((d) => d.deploymentId === 'thrifty#0')).toMatchObject({ requests: 1, successRate: 1 });
  }, 60_000);
});
