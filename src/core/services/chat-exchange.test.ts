import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StreamPart } from '../../shared/llm';
import { type Store, openStore } from '../store';
import { ChatExchange } from './chat-exchange';

let dir: string;
let store: Store;
let now: number;
let logs: string[];
let seq = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-exchange-'));
  store = openStore({ path: join(dir, 'switchboard.db') });
  store.conversations.create({ id: 'c', title: 't', model: null, createdAt: 0 });
  now = 1000;
  logs = [];
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function exchange(): { ex: ChatExchange; requestId: string; messageId: string } {
  seq++;
  const messageId = `m${seq}`;
  const requestId = `r${seq}`;
  const ex = new ChatExchange({
    store, clock: () => now, log: (_level, message) => logs.push(message),
    callId: `k${seq}`, requestId, conversationId: 'c', assistantMessageId: messageId,
    provider: 'local', model: 'local/x', deployment: 'local/x', client: 'test', startedAt: now,
  });
  // As the chat service does it: the streaming message and the in-flight call row together.
  store.transaction(() => {
    store.messages.insert({ id: messageId, conversationId: 'c', role: 'assistant', text: '', model: 'local/x', status: 'streaming', createdAt: now });
    ex.begin();
  });
  return { ex, requestId, messageId };
}

const usage = { inputTokens: { total: 9 }, outputTokens: { total: 2 } };
const text = (delta: string): StreamPart => ({ type: 'text-delta', id: 't', delta });

describe('ChatExchange', () => {
  it('writes the call row in flight when it begins, and completes that same row', () => {
    const { ex, requestId } = exchange();
    expect(store.calls.listByRequest(requestId)).toEqual([
      {
        id: `k${seq}`, requestId, attempt: 1, fallbackDepth: 0, conversationId: 'c',
        provider: 'local', model: 'local/x', deployment: 'local/x',
        inputTokens: { total: null, noCache: null, cacheRead: null, cacheWrite: null },
        outputTokens: { total: null, text: null, reasoning: null },
        costUsd: null, latencyMs: null, ttftMs: null,
        outcome: null, errorKind: null, errorMessage: null, startedAt: 1000, endedAt: null, client: 'test',
      },
    ]);
    // In flight: not counted, not shown as any outcome.
    expect(store.calls.summary({}).totals.calls).toBe(0);

    ex.observe({ type: 'finish', usage, finishReason: { unified: 'stop' } });
    ex.markStreamEnded();
    now += 20;
    ex.finalize();
    expect(store.calls.listByRequest(requestId)).toMatchObject([
      { id: `k${seq}`, outcome: 'success', endedAt: 1020, latencyMs: 20, costUsd: 0, client: 'test' },
    ]);
    expect(store.calls.summary({})).toMatchObject({ totals: { calls: 1, inputTokens: 9 }, byOutcome: { success: 1 } });
    expect(logs).toEqual([]);
  });

  it('records a finished reply as success with its usage and timings', () => {
    const { ex, requestId, messageId } = exchange();
    ex.observe({ type: 'stream-start', warnings: [] });
    now += 40;
    ex.observe(text('Hel'));
    now += 10;
    ex.observe(text('lo'));
    ex.observe({ type: 'finish', usage, finishReason: { unified: 'stop' } });
    now += 5;
    ex.markStreamEnded();
    ex.finalize();
    expect(store.messages.get(messageId)).toMatchObject({ text: 'Hello', status: 'complete', ttftMs: 40, latencyMs: 55, usage });
    expect(store.calls.listByRequest(requestId)).toMatchObject([
      {
        outcome: 'success', ttftMs: 40, latencyMs: 55, startedAt: 1000, endedAt: 1055,
        inputTokens: { total: 9, noCache: null, cacheRead: null, cacheWrite: null },
        outputTokens: { total: 2, text: null, reasoning: null },
      },
    ]);
  });

  it('writes exactly once', () => {
    const { ex, requestId } = exchange();
    ex.finalize();
    ex.observe({ type: 'finish', usage, finishReason: { unified: 'stop' } });
    ex.finalize();
    expect(store.calls.listByRequest(requestId)).toMatchObject([{ outcome: 'aborted' }]);
  });

  it('records an error part as an error with its kind', () => {
    const { ex, requestId, messageId } = exchange();
    ex.observe(text('par'));
    ex.observe({ type: 'error', error: { kind: 'engine_crashed', message: 'the engine died', retryable: true } });
    ex.observe({ type: 'finish', usage: { inputTokens: {}, outputTokens: {} }, finishReason: { unified: 'error' } });
    ex.markStreamEnded();
    ex.finalize();
    expect(store.messages.get(messageId)).toMatchObject({ text: 'par', status: 'error', error: { kind: 'engine_crashed' } });
    expect(store.calls.listByRequest(requestId)).toMatchObject([
      { outcome: 'error', errorKind: 'engine_crashed', errorMessage: 'the engine died', inputTokens: { total: null } },
    ]);
  });

  it('treats an error finish without an error part, or a stream without a finish, as errors', () => {
    const a = exchange();
    a.ex.observe({ type: 'finish', usage, finishReason: { unified: 'error' } });
    a.ex.markStreamEnded();
    a.ex.finalize();
    expect(store.calls.listByRequest(a.requestId)).toMatchObject([{ outcome: 'error', errorKind: 'server' }]);

    const b = exchange();
    b.ex.observe(text('x'));
    b.ex.markStreamEnded();
    b.ex.finalize();
    expect(store.messages.get(b.messageId)?.error?.message).toMatch(/ended without finishing/);
  });

  it('records an abort, or a stream left unread, as aborted', () => {
    const a = exchange();
    a.ex.abort();
    a.ex.observe({ type: 'finish', usage, finishReason: { unified: 'aborted' } });
    a.ex.markStreamEnded();
    a.ex.finalize();
    expect(store.calls.listByRequest(a.requestId)).toMatchObject([{ outcome: 'aborted', inputTokens: { total: 9 } }]);
    expect(store.messages.get(a.messageId)?.status).toBe('aborted');

    const b = exchange();
    b.ex.observe(text('half'));
    b.ex.finalize();
    expect(store.messages.get(b.messageId)).toMatchObject({ status: 'aborted', text: 'half' });
  });

  it('saves partial text while streaming, at most once a second', () => {
    const { ex, messageId } = exchange();
    ex.observe(text('a'));
    expect(store.messages.get(messageId)?.text).toBe('');
    now += 1000;
    ex.observe(text('b'));
    expect(store.messages.get(messageId)).toMatchObject({ text: 'ab', status: 'streaming' });
  });

  it('logs when its call row is no longer in flight, and still writes the message', () => {
    const { ex, requestId, messageId } = exchange();
    expect(store.calls.failInFlight({ errorKind: 'aborted', errorMessage: 'closed elsewhere' })).toBe(1);
    ex.observe({ type: 'finish', usage, finishReason: { unified: 'stop' } });
    ex.markStreamEnded();
    ex.finalize();
    // The finished row is not rewritten; the message is.
    expect(store.calls.listByRequest(requestId)).toMatchObject([{ outcome: 'error', errorMessage: 'closed elsewhere' }]);
    expect(store.messages.get(messageId)?.status).toBe('complete');
    expect(logs).toEqual([expect.stringMatching(/^chat r\d+: its call row k\d+ was not in flight/)]);
  });

  it('logs instead of throwing when the record cannot be written', async () => {
    const { ex } = exchange();
    store.close();
    expect(() => ex.finalize()).not.toThrow();
    await ex.settled;
    expect(logs).toEqual([expect.stringMatching(/^could not record chat r\d+: /)]);
  });
});
