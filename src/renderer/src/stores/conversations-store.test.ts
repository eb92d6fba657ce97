import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../../shared/domain';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { createConversationsStore } from './conversations-store';

const summary = (id: string, updatedAt: number): ConversationSummary => ({
  id,
  title: id,
  model: 'local/tiny',
  messageCount: 2,
  createdAt: 0,
  updatedAt,
});

describe('conversations store', () => {
  it('lists conversations most recent first', async () => {
    const fake = createFakeTransport({ 'conversations.list': () => ({ ok: true, data: [summary('a', 1), summary('b', 3), summary('c', 2)] }) });
    const store = createConversationsStore({ client: createClient(fake.transport) });
    await store.getState().refresh();
    expect(store.getState().items.map((c) => c.id)).toEqual(['b', 'c', 'a']);
  });

  it('upsert() shows a new conversation at the top and moves an existing one up', () => {
    const store = createConversationsStore({ client: createClient(createFakeTransport().transport) });
    store.setState({ items: [summary('b', 5), summary('a', 4)] });
    store.getState().upsert(summary('new', 10));
    store.getState().upsert({ ...summary('a', 11), title: 'ignored', model: null });
    expect(store.getState().items.map((c) => [c.id, c.title, c.model])).toEqual([
      ['a', 'a', 'local/tiny'],
      ['new', 'new', 'local/tiny'],
      ['b', 'b', 'local/tiny'],
    ]);
  });

  it('an older refresh answering late does not overwrite a newer one', async () => {
    let calls = 0;
    const fake = createFakeTransport({
      'conversations.list': () => ({ ok: true, data: ++calls === 1 ? [summary('old', 1)] : [summary('new', 2)] }),
    });
    const store = createConversationsStore({ client: createClient(fake.transport) });
    const first = store.getState().refresh();
    const second = store.getState().refresh();
    await Promise.all([first, second]);
    expect(store.getState().items.map((c) => c.id)).toEqual(['new']);
  });

  it('searches titles and text, drops answers to older queries, and an empty query clears it', async () => {
    const fake = createFakeTransport({
      'conversations.search': (input) => {
        const { query } = input as { query: string };
        return query === 'bad'
          ? { ok: false, error: { code: 'VALIDATION_FAILED', message: 'type something to search for' } }
          : { ok: true, data: [{ conversation: summary(`hit-${query}`, 1), snippet: `…${query}…` }] };
      },
    });
    const store = createConversationsStore({ client: createClient(fake.transport) });
    const older = store.getState().search('lis');
    const newer = store.getState().search('lisbon');
    await Promise.all([older, newer]);
    expect(store.getState()).toMatchObject({ query: 'lisbon', searchError: null });
    expect(store.getState().results?.map((h) => h.conversation.id)).toEqual(['hit-lisbon']);
    expect(fake.requests.at(-1)).toEqual({ route: 'conversations.search', input: { query: 'lisbon' } });

    await store.getState().search('bad');
    expect(store.getState().searchError).toBe('type something to search for');
    await store.getState().search('   ');
    expect(store.getState()).toMatchObject({ query: '   ', results: null, searchError: null });
  });
});
