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

function exchange(): { ex: ChatExchange; messageId: string } {
  seq++;
  const messageId = `m${seq}`;
  const ex = new ChatExchange({
    store, clock: () => now, log: (_level, message) => logs.push(message),
    requestId: `r${seq}`, conversationId: 'c', assistantMessageId: messageId, model: 'local/x', startedAt: now,
  });
  store.messages.insert({ id: messageId, conversationId: 'c', role: 'assistant', text: '', model: 'local/x', status: 'streaming', createdAt: now });
  return { ex, messageId };
}

const usage = { inputTokens: { total: 9 }, outputTokens: { total: 2 } };
const text = (delta: string): StreamPart => ({ type: 'text-delta', id: 't', delta });

describe('ChatExchange', () => {
  it('records a finished reply as complete with its usage and timings', () => {
    const { ex, messageId } = exchange();
    ex.observe({ type: 'stream-start', warnings: [] });
    now += 40;
    ex.observe(text('Hel'));
    now += 10;
    ex.observe(text('lo'));
    ex.observe({ type: 'finish', usage, finishReason: { unified: 'stop' } });
    now += 5;
    ex.markStreamEnded();
    ex.finalize();
    expect(store.messages.get(messageId)).toMatchObject({ text: 'Hello', status: 'complete', ttftMs: 40, latencyMs: 55, usage, error: null });
    expect(store.conversations.get('c')?.updatedAt).toBe(now);
    // The calls rows are the routed caller's.
    expect(store.calls.summary({}).totals.calls).toBe(0);
    expect(logs).toEqual([]);
  });

  it('writes exactly once', () => {
    const { ex, messageId } = exchange();
    ex.finalize();
    ex.observe(text('late'));
    ex.observe({ type: 'finish', usage, finishReason: { unified: 'stop' } });
    ex.finalize();
    expect(store.messages.get(messageId)).toMatchObject({ status: 'aborted', text: '' });
  });

  it('records an error part as an error with its kind', () => {
    const { ex, messageId } = exchange();
    ex.observe(text('par'));
    ex.observe({ type: 'error', error: { kind: 'engine_crashed', message: 'the engine died', retryable: true } });
    ex.observe({ type: 'finish', usage: { inputTokens: {}, outputTokens: {} }, finishReason: { unified: 'error' } });
    ex.markStreamEnded();
    ex.finalize();
    expect(store.messages.get(messageId)).toMatchObject({ text: 'par', status: 'error', error: { kind: 'engine_crashed', message: 'the engine died' } });
  });

  it('treats an error finish without an error part, or a stream without a finish, as errors', () => {
    const a = exchange();
    a.ex.observe({ type: 'finish', usage, finishReason: { unified: 'error' } });
    a.ex.markStreamEnded();
    a.ex.finalize();
    expect(store.messages.get(a.messageId)).toMatchObject({ status: 'error', error: { kind: 'server' } });

    const b = exchange();
    b.ex.observe(text('x'));
    b.ex.markStreamEnded();
    b.ex.finalize();
    expect(store.messages.get(b.messageId)?.error?.message).toMatch(/ended without finishing/);
  });

  it('records a failure reported outside the stream', () => {
    const { ex, messageId } = exchange();
    ex.fail({ kind: 'budget', message: 'the daily budget is spent', retryable: false });
    ex.finalize();
    expect(store.messages.get(messageId)).toMatchObject({ status: 'error', error: { kind: 'budget' } });
  });

  it('records an abort, or a stream left unread, as aborted', () => {
    const a = exchange();
    a.ex.abort();
    a.ex.observe({ type: 'finish', usage, finishReason: { unified: 'aborted' } });
    a.ex.markStreamEnded();
    a.ex.finalize();
    expect(store.messages.get(a.messageId)).toMatchObject({ status: 'aborted', usage });

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

  it('keeps the reasoning and tool calls with the reply, written when it ends', () => {
    const { ex, messageId } = exchange();
    ex.observe({ type: 'reasoning-start', id: 'r' });
    ex.observe({ type: 'reasoning-delta', id: 'r', delta: 'The user wants ' });
    ex.observe({ type: 'reasoning-delta', id: 'r', delta: 'the weather.' });
    ex.observe({ type: 'reasoning-end', id: 'r' });
    ex.observe({ type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: '{"city":"Paris"}' });
    ex.observe({ type: 'tool-call', toolCallId: 'call_2', toolName: 'get_time', input: '{}' });
    // Nothing is written per part: the tool calls wait for the end.
    expect(store.messages.get(messageId)).not.toHaveProperty('toolCalls');
    ex.observe({ type: 'finish', usage, finishReason: { unified: 'tool-calls' } });
    ex.markStreamEnded();
    ex.finalize();
    expect(store.messages.get(messageId)).toMatchObject({
      status: 'complete',
      text: '',
      reasoning: 'The user wants the weather.',
      toolCalls: [
        { id: 'call_1', name: 'get_weather', input: '{"city":"Paris"}' },
        { id: 'call_2', name: 'get_time', input: '{}' },
      ],
    });
  });

  it('keeps what was streamed of an answer that failed or was stopped', () => {
    const failed = exchange();
    failed.ex.observe({ type: 'reasoning-delta', id: 'r', delta: 'half a thought' });
    failed.ex.observe({ type: 'tool-call', toolCallId: 'c1', toolName: 'search', input: '{"q":"x"}' });
    failed.ex.observe(text('partial'));
    failed.ex.observe({ type: 'error', error: { kind: 'connection', message: 'the connection was cut', retryable: true } });
    failed.ex.markStreamEnded();
    failed.ex.finalize();
    expect(store.messages.get(failed.messageId)).toMatchObject({
      status: 'error', text: 'partial', reasoning: 'half a thought', toolCalls: [{ id: 'c1', name: 'search' }], error: { kind: 'connection' },
    });

    const stopped = exchange();
    stopped.ex.observe({ type: 'reasoning-delta', id: 'r', delta: 'thinking until stopped' });
    stopped.ex.abort();
    stopped.ex.finalize();
    expect(store.messages.get(stopped.messageId)).toMatchObject({ status: 'aborted', text: '', reasoning: 'thinking until stopped' });
  });

  it('saves partial reasoning with the text, at most once a second', () => {
    const { ex, messageId } = exchange();
    ex.observe({ type: 'reasoning-delta', id: 'r', delta: 'a' });
    expect(store.messages.get(messageId)).not.toHaveProperty('reasoning');
    now += 1000;
    ex.observe({ type: 'reasoning-delta', id: 'r', delta: 'b' });
    expect(store.messages.get(messageId)).toMatchObject({ reasoning: 'ab', text: '', status: 'streaming' });
    ex.observe({ type: 'reasoning-delta', id: 'r', delta: 'c' });
    expect(store.messages.get(messageId)?.reasoning).toBe('ab');
  });

  it('logs instead of throwing when the record cannot be written', async () => {
    const { ex } = exchange();
    store.close();
    expect(() => ex.finalize()).not.toThrow();
    await ex.settled;
    expect(logs).toEqual([expect.stringMatching(/^could not record chat r\d+: /)]);
  });
});
