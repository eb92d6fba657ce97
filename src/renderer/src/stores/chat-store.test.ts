import { describe, expect, it, vi } from 'vitest';
import type { ChatMessage, ConversationSummary } from '../../../shared/domain';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { createChatStore } from './chat-store';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const usage = { inputTokens: { total: 5 }, outputTokens: { total: 3 } };
const start = { type: 'chat-start', conversationId: 'c1', userMessageId: 'u1', assistantMessageId: 'a1', requestId: 'r1', model: 'local/tiny' };

function message(over: Partial<ChatMessage>): ChatMessage {
  return {
    id: 'm',
    conversationId: 'c1',
    role: 'assistant',
    text: '',
    model: 'local/tiny',
    status: 'complete',
    createdAt: 1,
    usage: null,
    error: null,
    latencyMs: null,
    ttftMs: null,
    ...over,
  };
}

function setup(answers: Parameters<typeof createFakeTransport>[0] = {}) {
  const fake = createFakeTransport(answers);
  let clock = 1000;
  const flushes: (() => void)[] = [];
  const started: ConversationSummary[] = [];
  const finished = vi.fn();
  const store = createChatStore({
    client: createClient(fake.transport, { abortGraceMs: 50 }),
    now: () => clock,
    schedule: (fn) => {
      flushes.push(fn);
      return () => void flushes.splice(flushes.indexOf(fn) >>> 0, 1);
    },
    onConversationStarted: (s) => started.push(s),
    onExchangeFinished: finished,
  });
  return {
    fake,
    store,
    started,
    finished,
    advance: (ms: number) => (clock += ms),
    frame: () => flushes.splice(0).forEach((fn) => fn()),
  };
}

describe('chat store', () => {
  it('sends, shows the exchange at once, and takes the stored ids from chat-start', async () => {
    const t = setup();
    const sending = t.store.getState().send({ text: '  hello  ', model: 'local/tiny', maxOutputTokens: 64 });
    const s0 = t.store.getState();
    expect(s0.messageIds).toHaveLength(2);
    expect(s0.streaming).not.toBeNull();
    expect(t.fake.streams[0]!.input).toEqual({ model: 'local/tiny', text: 'hello', maxOutputTokens: 64 });

    t.fake.streams[0]!.chunk(start);
    await tick();
    const s1 = t.store.getState();
    expect(s1.messageIds).toEqual(['u1', 'a1']);
    expect(s1.conversationId).toBe('c1');
    expect(s1.messages.u1!.text).toBe('hello');
    expect(t.started[0]).toMatchObject({ id: 'c1', title: 'hello', model: 'local/tiny' });

    t.fake.streams[0]!.end();
    await sending;
  });

  it('appends streamed deltas in batches, without touching the id list', async () => {
    const t = setup();
    const sending = t.store.getState().send({ text: 'hi', model: 'local/tiny' });
    const stream = t.fake.streams[0]!;
    stream.chunk(start);
    await tick();
    const ids = t.store.getState().messageIds;
    t.advance(40);
    stream.chunk({ type: 'text-delta', id: 't', delta: 'Hel' });
    stream.chunk({ type: 'text-delta', id: 't', delta: 'lo' });
    await tick();
    expect(t.store.getState().messages.a1!.text).toBe(''); // not yet flushed
    expect(t.store.getState().messages.a1!.ttftMs).toBe(40);
    t.frame();
    expect(t.store.getState().messages.a1!.text).toBe('Hello');
    stream.chunk({ type: 'text-delta', id: 't', delta: ' world' });
    await tick();
    t.frame();
    expect(t.store.getState().messages.a1!.text).toBe('Hello world');
    expect(t.store.getState().messageIds).toBe(ids);

    t.advance(60);
    stream.chunk({ type: 'finish', usage, finishReason: { unified: 'stop' } });
    stream.end();
    await sending;
    const done = t.store.getState().messages.a1!;
    expect(done).toMatchObject({ status: 'complete', usage, latencyMs: 100, ttftMs: 40, finishReason: 'stop' });
    expect(t.store.getState().streaming).toBeNull();
    expect(t.finished).toHaveBeenCalledOnce();
  });

  it('continues the open conversation on the next send', async () => {
    const t = setup();
    const first = t.store.getState().send({ text: 'one', model: 'm' });
    t.fake.streams[0]!.chunk(start);
    t.fake.streams[0]!.end();
    await first;
    const second = t.store.getState().send({ text: 'two', model: 'm' });
    expect(t.fake.streams[1]!.input).toMatchObject({ conversationId: 'c1', text: 'two' });
    t.fake.streams[1]!.end();
    await second;
  });

  it('ignores a send while another is streaming, and empty text', async () => {
    const t = setup();
    void t.store.getState().send({ text: 'one', model: 'm' });
    await t.store.getState().send({ text: 'two', model: 'm' });
    await t.store.getState().send({ text: '   ', model: 'm' });
    expect(t.fake.streams).toHaveLength(1);
  });

  it('stop() aborts the stream and the answer ends as aborted with what it had', async () => {
    const t = setup();
    const sending = t.store.getState().send({ text: 'long', model: 'm', maxOutputTokens: 4000 });
    const stream = t.fake.streams[0]!;
    stream.chunk(start);
    stream.chunk({ type: 'text-delta', id: 't', delta: 'partial' });
    await tick();
    t.store.getState().stop();
    expect(stream.aborted).toBe(true);
    expect(t.store.getState().streaming?.stopping).toBe(true);
    stream.chunk({ type: 'finish', usage, finishReason: { unified: 'aborted' } });
    stream.end({ code: 'ABORTED', message: 'aborted' });
    await sending;
    expect(t.store.getState().messages.a1).toMatchObject({ status: 'aborted', text: 'partial', error: null, usage });
  });

  it('stop() still ends the answer when the host never answers', async () => {
    const t = setup();
    const sending = t.store.getState().send({ text: 'long', model: 'm' });
    t.fake.streams[0]!.chunk(start);
    await tick();
    t.store.getState().stop();
    await sending; // after the client's 50 ms grace
    expect(t.store.getState().messages.a1!.status).toBe('aborted');
    expect(t.store.getState().streaming).toBeNull();
  });

  it('shows an error part inline and keeps it through finish', async () => {
    const t = setup();
    const sending = t.store.getState().send({ text: 'hi', model: 'm' });
    const stream = t.fake.streams[0]!;
    stream.chunk(start);
    stream.chunk({ type: 'error', error: { kind: 'engine_crashed', message: 'the engine stopped', retryable: true } });
    stream.chunk({ type: 'finish', usage, finishReason: { unified: 'error' } });
    stream.end();
    await sending;
    expect(t.store.getState().messages.a1).toMatchObject({
      status: 'error',
      error: { kind: 'engine_crashed', message: 'the engine stopped' },
    });
  });

  it('shows a stream that fails before it starts as an error on the answer', async () => {
    const t = setup();
    const sending = t.store.getState().send({ text: 'hi', model: 'local/broken' });
    t.fake.streams[0]!.end({ code: 'PROVIDER_ERROR', message: 'local/broken is not a valid GGUF file' });
    await sending;
    const [, assistant] = t.store.getState().messageIds;
    expect(t.store.getState().messages[assistant!]).toMatchObject({
      status: 'error',
      error: { kind: 'PROVIDER_ERROR', message: 'local/broken is not a valid GGUF file' },
    });
    expect(t.finished).toHaveBeenCalledOnce();
  });

  it('opens a stored conversation', async () => {
    const t = setup({
      'conversations.get': () => ({
        ok: true,
        data: {
          conversation: { id: 'c9', title: 't', model: 'local/tiny', messageCount: 2, createdAt: 1, updatedAt: 2 },
          messages: [
            message({ id: 'u', role: 'user', text: 'q' }),
            message({ id: 'a', text: 'answer', status: 'aborted', usage }),
          ],
        },
      }),
    });
    await t.store.getState().open('c9');
    const s = t.store.getState();
    expect(s.conversationId).toBe('c9');
    expect(s.messageIds).toEqual(['u', 'a']);
    expect(s.messages.a).toMatchObject({ text: 'answer', status: 'aborted', usage });
    expect(t.fake.requests[0]).toEqual({ route: 'conversations.get', input: { id: 'c9' } });
  });

  it('says when a conversation cannot be opened', async () => {
    const t = setup({ 'conversations.get': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no conversation c9' } }) });
    await t.store.getState().open('c9');
    expect(t.store.getState()).toMatchObject({ loading: false, loadError: 'no conversation c9', messageIds: [] });
  });

  it('newChat() clears the view so the next send starts a conversation', async () => {
    const t = setup();
    const first = t.store.getState().send({ text: 'one', model: 'm' });
    t.fake.streams[0]!.chunk(start);
    t.fake.streams[0]!.end();
    await first;
    t.store.getState().newChat();
    expect(t.store.getState()).toMatchObject({ conversationId: null, messageIds: [] });
    void t.store.getState().send({ text: 'two', model: 'm' });
    expect(t.fake.streams[1]!.input).not.toHaveProperty('conversationId');
  });
});
