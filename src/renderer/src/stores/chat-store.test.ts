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

  it('sends images by ref, shows them on the question at once, and keeps image-only messages', async () => {
    const t = setup();
    const ref = { id: 'f'.repeat(64), mediaType: 'image/png' as const, size: 42 };
    const sending = t.store.getState().send({ text: '', model: 'wire/gpt-4o', attachments: [ref] });
    expect(t.fake.streams[0]!.input).toEqual({ model: 'wire/gpt-4o', text: '', attachments: [ref.id] });
    const [userId] = t.store.getState().messageIds;
    expect(t.store.getState().messages[userId!]).toMatchObject({ role: 'user', attachments: [ref] });
    t.fake.streams[0]!.chunk(start);
    await tick();
    expect(t.started[0]?.title).toBe('Image');
    t.fake.streams[0]!.end();
    await sending;
  });

  it('shows tool calls and what the provider could not do', async () => {
    const t = setup();
    const sending = t.store.getState().send({ text: 'weather?', model: 'm' });
    const stream = t.fake.streams[0]!;
    stream.chunk(start);
    stream.chunk({ type: 'stream-start', warnings: [{ type: 'unsupported', feature: 'image-input', details: 'images are left out of the prompt' }] });
    stream.chunk({ type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: '{"city":"Oslo"}' });
    stream.chunk({ type: 'finish', usage, finishReason: { unified: 'tool-calls' } });
    stream.end();
    await sending;
    expect(t.store.getState().messages.a1).toMatchObject({
      warnings: ['image-input: images are left out of the prompt'],
      toolCalls: [{ id: 'call_1', name: 'get_weather', input: '{"city":"Oslo"}' }],
    });
  });

  const opened = (extra: Record<string, (input: unknown) => { ok: true; data: unknown } | { ok: false; error: { code: 'CONFLICT'; message: string } }> = {}) =>
    setup({
      'conversations.get': () => ({
        ok: true,
        data: {
          conversation: { id: 'c1', title: 't', model: 'm', messageCount: 4, createdAt: 1, updatedAt: 2 },
          messages: [
            message({ id: 'u1', role: 'user', text: 'first', model: null, attachments: [{ id: 'e'.repeat(64), mediaType: 'image/jpeg', size: 9 }] }),
            message({ id: 'a1', text: 'answer one' }),
            message({ id: 'u2', role: 'user', text: 'second', model: null }),
            message({ id: 'a2', text: 'answer two' }),
          ],
        },
      }),
      'conversations.truncate': () => ({ ok: true, data: { deleted: 2 } }),
      ...extra,
    });

  it('regenerate() deletes the answer and its question, then asks the same question (with its images) again', async () => {
    const t = opened();
    await t.store.getState().open('c1');
    const regenerating = t.store.getState().regenerate('a1', { model: 'other' });
    await tick();
    expect(t.fake.requests.at(-1)).toEqual({ route: 'conversations.truncate', input: { conversationId: 'c1', fromMessageId: 'u1' } });
    expect(t.fake.streams[0]!.input).toEqual({ conversationId: 'c1', model: 'other', text: 'first', attachments: ['e'.repeat(64)] });
    expect(t.store.getState().messageIds).toHaveLength(2); // the new question and its answer
    t.fake.streams[0]!.end();
    await regenerating;
  });

  it('editAndResend() replaces a question and what followed it', async () => {
    const t = opened();
    await t.store.getState().open('c1');
    const editing = t.store.getState().editAndResend('u2', { text: 'second, better', model: 'm' });
    await tick();
    expect(t.fake.requests.at(-1)?.input).toEqual({ conversationId: 'c1', fromMessageId: 'u2' });
    const s = t.store.getState();
    expect(s.messageIds.slice(0, 2)).toEqual(['u1', 'a1']);
    expect(s.messages[s.messageIds[2]!]).toMatchObject({ role: 'user', text: 'second, better' });
    t.fake.streams[0]!.end();
    await editing;
  });

  it('says why an edit could not start, and sends nothing', async () => {
    const t = opened({ 'conversations.truncate': () => ({ ok: false, error: { code: 'CONFLICT', message: 'a reply is still being written' } }) });
    await t.store.getState().open('c1');
    await t.store.getState().editAndResend('u2', { text: 'x', model: 'm' });
    expect(t.store.getState().editError).toBe('a reply is still being written');
    expect(t.store.getState().messageIds).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(t.fake.streams).toHaveLength(0);
  });

  it('collects attempts live, then shows the stored route (cost, tokens by kind) once recorded', async () => {
    const route = {
      requestId: 'r1', attempts: [], served: null, fallbacks: 1, costUsd: 0.002, latencyMs: 90, ttftMs: 12, cached: false,
      tokens: { input: 10, inputNoCache: 10, inputCacheRead: 0, inputCacheWrite: null, output: 3, outputText: 3, outputReasoning: null },
    };
    const t = setup({ 'conversations.route': (input) => ({ ok: true, data: (input as { messageId: string }).messageId === 'a1' ? route : null }) });
    const sending = t.store.getState().send({ text: 'hi', model: 'smart' });
    const stream = t.fake.streams[0]!;
    stream.chunk(start);
    const failed = { attempt: 1, fallbackDepth: 0, group: 'smart', deployment: 'smart#0', provider: 'a', model: 'x', outcome: 'error', errorKind: 'server', latencyMs: 5, ttftMs: null };
    stream.chunk({ type: 'attempt', ...failed });
    await tick();
    expect(t.store.getState().messages.a1?.attempts).toEqual([failed]);
    stream.chunk({ type: 'finish', usage, finishReason: { unified: 'stop' } });
    stream.end();
    await sending;
    await tick();
    expect(t.fake.requests.at(-1)).toEqual({ route: 'conversations.route', input: { messageId: 'a1' } });
    expect(t.store.getState().messages.a1?.route).toEqual(route);
  });
});
