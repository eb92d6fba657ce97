import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIWire } from '../../test/wire/openai-wire';
import type { WireServer } from '../../test/wire/scenario';
import { type ChatEvent } from '../shared/contract';
import { type Core } from './app';
import { runChat } from './testing/run-chat';
import { type WireCore, startWireCore } from './testing/wire-core';

/** The core with groups over two wire servers: chat.send of a group name goes through the router. */
let fixture: WireCore<'ONE' | 'TWO'>;
let dir: string;
let core: Core;
let primary: WireServer;
let secondary: WireServer;
let now = 1_750_000_000_000;

const configText = `
providers:
  one: { type: openai, baseURL: \${ONE}, apiKey: sk-one-test-0000111122223333 }
  two: { type: openai, baseURL: \${TWO}, apiKey: sk-two-test-0000111122223333 }
groups:
  smart:
    deployments:
      - { provider: one, model: gpt-4o-mini }
      - { provider: two, model: gpt-4o-mini }
  solo:
    deployments:
      - { provider: one, model: gpt-4o }
  nearby:
    deployments:
      - { provider: local, model: no-such-model }
`;

beforeAll(async () => {
  fixture = await startWireCore({
    prefix: 'sb-core-router-',
    wires: { ONE: startOpenAIWire, TWO: startOpenAIWire },
    config: configText,
    core: {
      // Virtual time for the router's clock and sleeps: the breaker's cooldown is under the test's control.
      clock: () => now,
      router: { sleep: async (ms) => void (now += ms), random: () => 0.5 },
    },
  });
  ({ dir, core } = fixture);
  ({ ONE: primary, TWO: secondary } = fixture.wires);
});
afterAll(async () => {
  await fixture?.close();
});

const send = (input: unknown) => runChat(core.dispatcher, input);

interface Row {
  attempt: number;
  fallback_depth: number;
  provider: string;
  model: string;
  deployment: string;
  outcome: string | null;
  error_kind: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  conversation_id: string;
  client: string;
  latency_ms: number | null;
  ttft_ms: number | null;
  ended_at: number | null;
  cost_usd: number | null;
}

const rowsOf = (requestId: string): Row[] => fixture.rowsOf<Row>(requestId);

const textOf = (chunks: ChatEvent[]) => chunks.filter((c) => c.type === 'text-delta').map((c) => (c as { delta: string }).delta).join('');
const startOf = (chunks: ChatEvent[]) => chunks[0] as Extract<ChatEvent, { type: 'chat-start' }>;

describe('core: group names go through the router', () => {
  it('a 429 with Retry-After on the primary moves to the secondary: two rows, the answer from the secondary', async () => {
    primary.enqueue({ fault: { kind: 'status', status: 429, retryAfter: 1 } });
    secondary.enqueue({ text: ['from', ' two'], usage: { input: 7, output: 2 } });
    const { chunks, error } = await send({ model: 'smart', text: 'hello' });
    expect(error).toBeUndefined();
    expect(startOf(chunks)).toMatchObject({ type: 'chat-start', model: 'smart' });
    expect(chunks.filter((c) => c.type === 'stream-start')).toHaveLength(1);
    expect(textOf(chunks)).toBe('from two');
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop' } });

    const rows = rowsOf(startOf(chunks).requestId);
    expect(rows.map((r) => [r.attempt, r.fallback_depth, r.provider, r.deployment, r.outcome, r.error_kind])).toEqual([
      [1, 0, 'one', 'smart#0', 'error', 'rate_limit'],
      [2, 0, 'two', 'smart#1', 'success', null],
    ]);
    expect(rows[1]).toMatchObject({ model: 'gpt-4o-mini', input_tokens: 7, output_tokens: 2, conversation_id: startOf(chunks).conversationId, client: 'test' });
    expect(rows.every((r) => r.latency_ms !== null && r.ended_at !== null)).toBe(true);
    expect(rows[1]!.ttft_ms).not.toBeNull();
    // Priced with the catalog, as the registry's cost hook prices a direct call.
    expect(rows[1]!.cost_usd).toBeGreaterThan(0);
    expect(rows[0]!.cost_usd).toBeNull();

    const health = await core.dispatcher.request('health.list', {}, 'test');
    const smart1 = health.ok ? (health.data as { deployments: Array<Record<string, unknown>> }).deployments.find((d) => d.deploymentId === 'smart#1') : undefined;
    expect(smart1).toMatchObject({ requests: 1, successRate: 1, breaker: 'closed', lastError: null });

    const conversation = await core.dispatcher.request('conversations.get', { id: startOf(chunks).conversationId }, 'test');
    expect(conversation.ok && JSON.stringify(conversation.data)).toContain('from two');
  });

  it('an abort mid-stream ends the attempt\'s row as aborted, and the message as aborted', async () => {
    primary.enqueue({ text: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], delayMs: 40 });
    const opened = core.dispatcher.stream('chat.send', { model: 'smart', text: 'hello' }, 'test');
    if (!opened.ok) throw new Error(opened.error.message);
    const chunks: ChatEvent[] = [];
    for await (const chunk of opened.data.chunks) {
      const event = chunk as ChatEvent;
      chunks.push(event);
      if (event.type === 'text-delta') await core.dispatcher.request('chat.abort', { conversationId: startOf(chunks).conversationId }, 'test');
    }
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'aborted' } });
    const rows = rowsOf(startOf(chunks).requestId);
    expect(rows.map((r) => [r.attempt, r.deployment, r.outcome])).toEqual([[1, 'smart#0', 'aborted']]);
    const conversation = await core.dispatcher.request('conversations.get', { id: startOf(chunks).conversationId }, 'test');
    expect(JSON.stringify(conversation.ok && conversation.data)).toContain('"status":"aborted"');
  });

  it('a cut mid-stream ends as an error part, with the partial attempt recorded', async () => {
    primary.enqueue({ text: ['par', 'tial', ' never'], usage: { input: 3, output: 3 }, fault: { kind: 'cut', afterEvents: 2 } });
    const { chunks, error } = await send({ model: 'solo', text: 'hello' });
    expect(error).toBeUndefined();
    expect(textOf(chunks).length).toBeGreaterThan(0);
    expect(chunks.at(-2)).toMatchObject({ type: 'error' });
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'error' } });
    const rows = rowsOf(startOf(chunks).requestId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ attempt: 1, deployment: 'solo#0', outcome: 'error' });
    // Content reached the caller before the cut: the row has its TTFT, and the message keeps the partial text.
    expect(rows[0]!.ttft_ms).not.toBeNull();
    const conversation = await core.dispatcher.request('conversations.get', { id: startOf(chunks).conversationId }, 'test');
    const text = JSON.stringify(conversation.ok && conversation.data);
    expect(text).toContain(JSON.stringify(textOf(chunks)).slice(1, -1));
    expect(text).toContain('"status":"error"');
  });

  it('a 500 storm opens the breaker; the next request skips the deployment and says why', async () => {
    // Five counted failures open it: a request of three attempts (two retries), then two more.
    for (let i = 0; i < 5; i++) primary.enqueue({ fault: { kind: 'status', status: 500 } });
    for (let i = 0; i < 2; i++) {
      const { chunks } = await send({ model: 'solo', text: 'hello' });
      expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'error' } });
      now += 1000;
    }
    const health = await core.dispatcher.request('health.list', {}, 'test');
    expect(health.ok).toBe(true);
    const solo = health.ok ? (health.data as { deployments: Array<Record<string, unknown>> }).deployments.find((d) => d.deploymentId === 'solo#0') : undefined;
    expect(solo).toMatchObject({ group: 'solo', provider: 'one', model: 'gpt-4o', breaker: 'open', successRate: 0, lastError: { kind: 'server' } });

    const before = primary.requests.length;
    const { chunks } = await send({ model: 'solo', text: 'hello' });
    expect(primary.requests.length).toBe(before);
    const failure = chunks.find((c) => c.type === 'error') as { error: { message: string } } | undefined;
    expect(failure?.error.message).toContain('one/gpt-4o: cooling down');
    // Nothing was attempted: one request-level row says why.
    expect(rowsOf(startOf(chunks).requestId)).toMatchObject([
      { attempt: 0, provider: 'router', model: 'solo', deployment: null, outcome: 'error', error_kind: 'rate_limit', cost_usd: 0, client: 'test' },
    ]);
    expect(rowsOf(startOf(chunks).requestId)[0]).toMatchObject({ error_message: expect.stringContaining('one/gpt-4o: cooling down') });
  });

  it('keeps breakers and health across a config reload', async () => {
    writeFileSync(join(dir, 'switchboard.yaml'), `${configText}\n# touched\n`);
    const first = core.router();
    for (let i = 0; i < 200 && core.router() === first; i++) await new Promise((r) => setTimeout(r, 25));
    expect(core.router()).not.toBe(first);
    expect(core.router().health().find((h) => h.deploymentId === 'solo#0')).toMatchObject({ breaker: 'open' });
  });

  it('a group over a local model goes through the library: a missing one is a not_found error, tried once, recorded', async () => {
    const { chunks, error } = await send({ model: 'nearby', text: 'hello' });
    expect(error).toBeUndefined();
    expect(chunks.find((c) => c.type === 'error')).toMatchObject({ error: { kind: 'not_found' } });
    expect(rowsOf(startOf(chunks).requestId).map((r) => [r.attempt, r.provider, r.model, r.outcome, r.error_kind])).toEqual([
      [1, 'local', 'local/no-such-model', 'error', 'not_found'],
    ]);
    const conversation = await core.dispatcher.request('conversations.get', { id: startOf(chunks).conversationId }, 'test');
    expect(conversation.ok && JSON.stringify(conversation.data)).toContain('"status":"error"');
  });

  it('provider/model refs go through the router as one-deployment groups (one row, attempt 1)', async () => {
    secondary.enqueue({ text: ['direct'] });
    const { chunks } = await send({ model: 'two/gpt-4o-mini', text: 'hello' });
    expect(textOf(chunks)).toBe('direct');
    expect(rowsOf(startOf(chunks).requestId).map((r) => [r.attempt, r.provider, r.outcome])).toEqual([[1, 'two', 'success']]);
  });
});
