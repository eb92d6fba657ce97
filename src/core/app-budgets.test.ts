import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIWire } from '../../test/wire/openai-wire';
import type { WireServer } from '../../test/wire/scenario';
import { type BudgetAlert, type BudgetStatus, type ChatEvent, HOST_EVENTS } from '../shared/contract';
import { type ConversationDetail } from '../shared/domain';
import { type Core } from './app';
import { runChat } from './testing/run-chat';
import { type WireCore, startWireCore } from './testing/wire-core';

/**
 * The router's config through the composed core and real wire servers: budgets (a spent one falls
 * back to the local model, or blocks), the response cache, aliases, prompt rules, request-level
 * rows, message routes, and health rebuilt from the calls rows after a restart.
 */
let fixture: WireCore<'ONE' | 'TWO'>;
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
  fixture = await startWireCore({
    prefix: 'sb-core-budgets-',
    wires: { ONE: startOpenAIWire, TWO: startOpenAIWire },
    config: configText,
    tinyModel: true,
    core: { clock: () => now, router: { sleep: async (ms) => void (now += ms), random: () => 0.5 } },
    onStart: (started) => started.onEvent((name, data) => events.push({ name, data })),
  });
  ({ core } = fixture);
  ({ ONE: wire, TWO: other } = fixture.wires);
  await core.engine.load(fixture.tinyModelPath!);
});
afterAll(async () => {
  await fixture?.close();
});

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

const rowsOf = (requestId: string): Row[] => fixture.rowsOf<Row>(requestId);
const request = <T,>(route: string, input: unknown = {}): Promise<T> => fixture.request<T>(route, input);

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
    core = await fixture.restart();
    const health = await request<{ deployments: Array<{ deploymentId: string; requests: number; successRate: number | null }> }>('health.list');
    expect(health.deployments.find((d) => d.deploymentId === 'coder#0')).toMatchObject({ requests: 1, successRate: 1 });
    expect(health.deployments.find((d) => d.deploymentId === 'thrifty#0')).toMatchObject({ requests: 1, successRate: 1 });
  }, 60_000);
});
