import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatEvent } from '../../shared/contract';
import { type LanguageModel } from '../../shared/llm';
import { type Engine } from '../engine/engine';
import { createEngine } from '../engine/engine-client';
import { type ModelLibrary, createModelLibrary } from '../models/library';
import { writeTestModel } from '../models/test-model';
import { LocalLanguageModel } from '../providers/local';
import { DeploymentState, DEFAULT_ROUTER_POLICY, createRouter } from '../router';
import { type Store, openStore } from '../store';
import { type ChatService, INTERRUPTED_CALL, INTERRUPTED_ERROR, createChatService } from './chat-service';
import { type RoutedCaller, createRoutedCaller } from './routed-call';

let dir: string;
let engine: Engine;
let store: Store;
let chat: ChatService;
let library: ModelLibrary;
let localModelFor: (id: string) => Promise<LanguageModel>;

/** The routed caller over the local library alone: `local/…` refs are ad-hoc deployments. */
function callsFor(target: Store): RoutedCaller {
  const clock = { now: Date.now };
  const router = createRouter({
    groups: new Map(),
    providerTypes: { local: 'local' },
    resolveModel: (d) => ({
      provider: d.provider,
      modelId: d.model,
      capabilities: { vision: false, tools: false, reasoning: false, json: false },
      stream: async (options) => (await localModelFor(`local/${d.model}`)).stream(options),
    }),
    clock,
    sleep: async () => undefined,
    random: Math.random,
    state: new DeploymentState(DEFAULT_ROUTER_POLICY.breaker, clock, DEFAULT_ROUTER_POLICY.healthWindowMs),
  });
  return createRoutedCaller({ router: () => router, store: target, clock: Date.now });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-chat-'));
  const models = join(dir, 'models');
  mkdirSync(models);
  const tiny = await writeTestModel(join(models, 'tiny.gguf'), { preset: 'tiny' });
  writeFileSync(join(models, 'broken.gguf'), 'not a model');
  engine = createEngine({ threads: 1 });
  store = openStore({ path: join(dir, 'switchboard.db') });
  library = createModelLibrary({ folders: [models] });
  localModelFor = async (id) => {
    const entry = await library.resolve(id);
    if (entry === undefined) throw new Error(`no local model ${id}`);
    return new LocalLanguageModel({ engine, modelId: entry.id, modelPath: entry.path });
  };
  chat = createChatService({ store, library, calls: callsFor(store), clock: Date.now });
  // Start the engine process and load the model under the hook timeout, not in the first test.
  await engine.load(tiny.path);
});
afterAll(async () => {
  await engine?.dispose();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Start = Extract<ChatEvent, { type: 'chat-start' }>;

async function collect(events: AsyncIterable<ChatEvent>, onEvent?: (event: ChatEvent) => void) {
  const seen: ChatEvent[] = [];
  for await (const event of events) {
    seen.push(event);
    onEvent?.(event);
  }
  const start = seen[0] as Start;
  return { seen, start, text: seen.map((e) => (e.type === 'text-delta' ? e.delta : '')).join('') };
}

/** Reads up to the first text-delta: the reply is streaming. */
async function untilStreaming(events: AsyncIterator<ChatEvent>, onStart?: (start: Start) => void): Promise<Start> {
  let start: Start | undefined;
  for (;;) {
    const { done, value } = await events.next();
    if (done === true) throw new Error('the stream ended before any text');
    if (value.type === 'chat-start') {
      start = value;
      onStart?.(value);
    }
    if (value.type === 'text-delta' && start !== undefined) return start;
  }
}

const send = (text: string, extra: { conversationId?: string; maxOutputTokens?: number } = {}, signal = new AbortController().signal) =>
  chat.send({ model: 'local/tiny', text, temperature: 0, maxOutputTokens: 8, ...extra }, signal, 'test');

describe('chat service', () => {
  it('streams a reply and records the exchange', async () => {
    const { seen, start, text } = await collect(send('  Hello there\n'));
    expect(start).toMatchObject({ type: 'chat-start', model: 'local/tiny' });
    expect(seen[1]?.type).toBe('stream-start');
    expect(seen.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'length' } });
    expect(text.length).toBeGreaterThan(0);

    const conversation = store.conversations.get(start.conversationId);
    expect(conversation).toMatchObject({ title: 'Hello there', model: 'local/tiny', messageCount: 2 });
    const [user, assistant] = store.messages.listByConversation(start.conversationId);
    expect(user).toMatchObject({ id: start.userMessageId, role: 'user', text: '  Hello there\n', status: 'complete' });
    expect(assistant).toMatchObject({ id: start.assistantMessageId, role: 'assistant', text, status: 'complete', error: null });
    expect(assistant?.usage?.outputTokens.total).toBeGreaterThan(0);
    expect(assistant?.latencyMs).not.toBeNull();
    expect(assistant?.ttftMs).not.toBeNull();

    const calls = store.calls.listByRequest(start.requestId);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      attempt: 1, fallbackDepth: 0, conversationId: start.conversationId, provider: 'local', model: 'local/tiny',
      outcome: 'success', errorKind: null, client: 'test',
    });
    expect(calls[0]?.inputTokens.total).toBeGreaterThan(0);
    expect(calls[0]?.outputTokens.total).toBe(assistant?.usage?.outputTokens.total);
  });

  it('sends the conversation history with a follow-up', async () => {
    const first = await collect(send('Tell me something'));
    const second = await collect(send('And more', { conversationId: first.start.conversationId }));
    expect(second.start.conversationId).toBe(first.start.conversationId);
    const [firstCall] = store.calls.listByRequest(first.start.requestId);
    const [secondCall] = store.calls.listByRequest(second.start.requestId);
    expect(secondCall?.inputTokens.total).toBeGreaterThan(firstCall?.inputTokens.total ?? Infinity);
    expect(store.conversations.get(first.start.conversationId)?.messageCount).toBe(4);
  });

  it('stops on chat.abort and records the send as aborted', async () => {
    let aborted = false;
    let conversationId = '';
    const { start, text, seen } = await collect(send('Go on and on', { maxOutputTokens: 1500 }), (event) => {
      if (event.type === 'chat-start') conversationId = event.conversationId;
      if (event.type === 'text-delta' && !aborted) aborted = chat.abort(conversationId);
    });
    expect(aborted).toBe(true);
    expect(seen.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'aborted' } });
    expect(store.messages.get(start.assistantMessageId)).toMatchObject({ status: 'aborted', text });
    expect(store.calls.listByRequest(start.requestId)).toMatchObject([{ outcome: 'aborted' }]);
    expect(chat.abort(start.conversationId)).toBe(false);
  });

  it('stops when the caller signal aborts', async () => {
    const controller = new AbortController();
    const { start } = await collect(send('Go on', { maxOutputTokens: 1500 }, controller.signal), (event) => {
      if (event.type === 'text-delta') controller.abort();
    });
    expect(store.calls.listByRequest(start.requestId)).toMatchObject([{ outcome: 'aborted' }]);
    expect(store.messages.get(start.assistantMessageId)?.status).toBe('aborted');
  });

  it('records the send when the consumer stops reading early', async () => {
    let start: Start | undefined;
    for await (const event of send('Just the start', { maxOutputTokens: 1500 })) {
      if (event.type === 'chat-start') start = event;
      if (event.type === 'text-delta') break;
    }
    expect(start).toBeDefined();
    if (start === undefined) return;
    expect(store.calls.listByRequest(start.requestId)).toMatchObject([{ outcome: 'aborted' }]);
    expect(store.messages.get(start.assistantMessageId)?.status).toBe('aborted');
    // The conversation is free again.
    expect(chat.abort(start.conversationId)).toBe(false);
  });

  it('refuses a second send while one is in flight in the same conversation', async () => {
    const first = await collect(send('Hi'));
    const running = send('Long one', { conversationId: first.start.conversationId, maxOutputTokens: 1500 })[Symbol.asyncIterator]();
    await running.next(); // chat-start: now in flight
    await expect(collect(send('Me too', { conversationId: first.start.conversationId }))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await running.return?.(undefined);
  });

  it('refuses a model file the library flagged, saying why', async () => {
    await expect(collect(chat.send({ model: 'broken', text: 'hi' }, new AbortController().signal))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/^model "local\/broken" cannot be used: broken\.gguf is not a GGUF model file/),
    });
  });

  it('writes the call row when the attempt starts, in flight and uncounted until the send ends', async () => {
    const before = store.calls.summary({});
    const events = send('Tell me a long story', { maxOutputTokens: 1500 })[Symbol.asyncIterator]();
    const inFlight = {
      attempt: 1, fallbackDepth: 0, provider: 'local', model: 'local/tiny', deployment: 'local/tiny', client: 'test',
      outcome: null, errorKind: null, endedAt: null, latencyMs: null, costUsd: null,
      inputTokens: { total: null }, outputTokens: { total: null },
    };
    // Begun when the router starts the attempt, before its model is asked: there while the reply streams.
    const start = await untilStreaming(events);
    const rows = store.calls.listByRequest(start.requestId);
    expect(rows).toMatchObject([{ ...inFlight, conversationId: start.conversationId }]);
    // A dashboard read mid-stream shows no phantom call.
    expect(store.calls.summary({})).toEqual(before);

    await events.return?.(undefined);
    expect(store.calls.listByRequest(start.requestId)).toMatchObject([
      { id: rows[0]?.id, outcome: 'aborted', endedAt: expect.any(Number), costUsd: 0 },
    ]);
    const after = store.calls.summary({});
    expect(after.totals.calls).toBe(before.totals.calls + 1);
    expect(after.byOutcome).toEqual({ ...before.byOutcome, aborted: before.byOutcome.aborted + 1 });
  });

  it('leaves exactly one call row when the process dies mid-stream, closed at the next start', async () => {
    const path = join(dir, 'crashed.db');
    const crashing = openStore({ path });
    const logs: string[] = [];
    const doomed = createChatService({ store: crashing, library, calls: callsFor(crashing), clock: Date.now, log: (_level, message) => logs.push(message) });
    const events = doomed.send({ model: 'local/tiny', text: 'Go on and on', maxOutputTokens: 1500 }, new AbortController().signal, 'test')[Symbol.asyncIterator]();
    const start = await untilStreaming(events);
    // The process dies here: nothing else reaches the database (a kill leaves committed writes and nothing more).
    crashing.close();
    // Stop the engine generating; the send's own record can no longer be written.
    await events.return?.(undefined);
    expect(logs).toEqual([expect.stringMatching(/^could not record chat /)]);

    const reopened = openStore({ path });
    try {
      const rows = reopened.calls.listByRequest(start.requestId);
      expect(rows).toMatchObject([{ outcome: null, endedAt: null }]);
      expect(reopened.messages.get(start.assistantMessageId)?.status).toBe('streaming');

      const recovered = createChatService({ store: reopened, library, calls: callsFor(reopened), clock: Date.now });
      expect(recovered.recoverInterrupted()).toBe(1);
      expect(reopened.calls.listByRequest(start.requestId)).toEqual([
        {
          ...rows[0],
          outcome: 'error',
          errorKind: 'aborted',
          errorMessage: 'interrupted: Switchboard stopped before this call finished',
          endedAt: rows[0]?.startedAt,
          // Unknown, never 0.
          inputTokens: { total: null, noCache: null, cacheRead: null, cacheWrite: null },
          outputTokens: { total: null, text: null, reasoning: null },
          latencyMs: null,
          ttftMs: null,
        },
      ]);
      expect(INTERRUPTED_CALL.errorKind).toBe('aborted');
      expect(reopened.messages.get(start.assistantMessageId)).toMatchObject({ status: 'error', error: INTERRUPTED_ERROR });
      expect(reopened.calls.summary({})).toMatchObject({ totals: { calls: 1 }, byOutcome: { success: 0, error: 1, aborted: 0 } });
      // Nothing is left to recover the next time.
      expect(recovered.recoverInterrupted()).toBe(0);
      expect(reopened.calls.listByRequest(start.requestId)).toHaveLength(1);
    } finally {
      reopened.close();
    }
  });

  it('aborts everything in flight on abortAll and still records it', async () => {
    const events = send('Keep going', { maxOutputTokens: 1500 });
    let start: Start | undefined;
    const drained = collect(events, (event) => {
      if (event.type === 'chat-start') start = event;
      if (event.type === 'text-delta' && start) void chat.abortAll();
    });
    await drained;
    await chat.abortAll();
    expect(start && store.calls.listByRequest(start.requestId)).toMatchObject([{ outcome: 'aborted' }]);
    // Shutting down: new sends are refused (the tests after this one do not send).
    await expect(collect(send('Too late'))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('marks replies a crash left streaming as interrupted', () => {
    store.conversations.create({ id: 'crashed', title: 't', model: null, createdAt: 1 });
    store.messages.insert({ id: 'half', conversationId: 'crashed', role: 'assistant', text: 'hal', model: 'local/tiny', status: 'streaming', createdAt: 1 });
    store.calls.begin({
      id: 'half-call', requestId: 'half-request', attempt: 1, fallbackDepth: 0, conversationId: 'crashed',
      provider: 'local', model: 'local/tiny', deployment: 'local/tiny', startedAt: 1, client: 'test',
    });
    expect(chat.recoverInterrupted()).toBe(1);
    expect(store.messages.get('half')).toMatchObject({ status: 'error', text: 'hal', error: INTERRUPTED_ERROR });
    expect(store.calls.listByRequest('half-request')).toMatchObject([
      { outcome: 'error', errorKind: 'aborted', errorMessage: INTERRUPTED_CALL.errorMessage, endedAt: 1, inputTokens: { total: null } },
    ]);
  });
});
