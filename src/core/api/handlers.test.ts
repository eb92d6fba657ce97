import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Contract, type HandlersFor, contract } from '../../shared/contract';
import { createModelLibrary } from '../models/library';
import {
  createChatService,
  createConversationsService,
  createModelsService,
  createUsageService,
} from '../services';
import { type Store, openStore } from '../store';
import { type Dispatcher, createDispatcher } from './dispatcher';
import { createHandlers } from './handlers';

let dir: string;
let store: Store;
let dispatcher: Dispatcher;
let internalErrors: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-handlers-'));
  store = openStore({ path: join(dir, 'switchboard.db') });
  const library = createModelLibrary({ folders: [join(dir, 'models')] });
  const services = {
    chat: createChatService({
      store,
      library,
      // No model in these tests gets as far as streaming.
      calls: {
        stream: () => Promise.reject(new Error('no model should be streamed here')),
        targets: () => Promise.resolve([]),
      },
      clock: Date.now,
    }),
    conversations: createConversationsService(store),
    models: createModelsService(library),
    usage: createUsageService(store),
  };
  internalErrors = [];
  dispatcher = createDispatcher(contract, createHandlers(services), {
    onInternalError: (route) => internalErrors.push(route),
  });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Drains a stream; returns its chunks and the error that ended it, if any. */
async function drain(route: string, input: unknown) {
  const opened = dispatcher.stream(route, input, 'test');
  if (!opened.ok) return { opened, chunks: [], error: undefined };
  const chunks: unknown[] = [];
  try {
    for await (const chunk of opened.data.chunks) chunks.push(chunk);
    return { opened, chunks, error: undefined };
  } catch (error) {
    return { opened, chunks, error: dispatcher.streamError(error) };
  }
}

describe('dispatcher with the core handlers', () => {
  it('answers a bad payload with VALIDATION_FAILED naming the field', async () => {
    const result = await dispatcher.request('conversations.get', { id: 42 }, 'test');
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', data: { issues: [{ path: 'id' }] } } });
    if (!result.ok) expect(result.error.message).toMatch(/^conversations\.get: id: /);

    const send = await drain('chat.send', { model: '', text: 'hi' });
    expect(send.opened).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    if (!send.opened.ok) expect(send.opened.error.message).toContain('model: choose a model');
  });

  it('answers an unknown route with UNKNOWN_ROUTE, and a route of the other kind too', async () => {
    expect(await dispatcher.request('nope.nothing', {}, 'test')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ROUTE' } });
    expect(await dispatcher.request('chat.send', { model: 'x', text: 'hi' }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ROUTE' },
    });
    // Inherited names are not routes.
    expect(await dispatcher.request('toString', {}, 'test')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ROUTE' } });
  });

  it('turns an unexpected failure into INTERNAL and keeps serving', async () => {
    const missing = await dispatcher.request('conversations.get', { id: 'missing' }, 'test');
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'no conversation "missing"' } });

    store.close(); // every query now throws: a bug-shaped failure, not a ContractFailure
    const broken = await dispatcher.request('conversations.list', {}, 'test');
    expect(broken).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'internal error in conversations.list' } });
    expect(internalErrors).toEqual(['conversations.list']);

    // A route that does not touch the database still answers.
    expect(await dispatcher.request('models.local.list', {}, 'test')).toEqual({ ok: true, data: [] });
  });

  it('answers an unknown model with NOT_FOUND listing what is available', async () => {
    const send = await drain('chat.send', { model: 'local/ghost', text: 'hi' });
    expect(send.opened.ok).toBe(true);
    expect(send.chunks).toEqual([]);
    expect(send.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(send.error?.message).toMatch(/^unknown model "local\/ghost"; no local models found; put \.gguf files in /);
    // Nothing was written for a send that never started.
    expect(await dispatcher.request('conversations.list', {}, 'test')).toEqual({ ok: true, data: [] });
  });

  it('applies route defaults and answers with data', async () => {
    expect(await dispatcher.request('usage.summary', undefined, 'test')).toMatchObject({
      ok: true,
      data: { from: null, to: null, totals: { calls: 0 }, byOutcome: { success: 0, error: 0, aborted: 0, cache_hit: 0 } },
    });
    expect(await dispatcher.request('usage.summary', { from: 10, to: 5 }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await dispatcher.request('chat.abort', { conversationId: 'none' }, 'test')).toEqual({
      ok: true,
      data: { aborted: false },
    });
  });
});

describe('handler map exhaustiveness (checked by tsc)', () => {
  it('rejects a missing or an extra handler at compile time', () => {
    const handlers = createHandlers({} as Parameters<typeof createHandlers>[0]);
    const { 'chat.abort': _dropped, ...withoutOne } = handlers;
    // @ts-expect-error a route without a handler does not compile
    const missing: HandlersFor<Contract> = withoutOne;
    const extra: HandlersFor<Contract> = {
      ...handlers,
      // @ts-expect-error a handler without a route does not compile
      'chat.nonexistent': () => ({}),
    };
    expect([missing, extra]).toHaveLength(2);
  });
});
