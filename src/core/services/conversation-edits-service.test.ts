import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractFailure } from '../api/contract-failure';
import { type Store, openStore } from '../store';
import { createConversationEditsService, snippetAround } from './conversation-edits-service';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-edits-'));
  store = openStore({ path: join(dir, 'switchboard.db') });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function conversation(id: string, title: string, texts: string[], at: number) {
  store.conversations.create({ id, title, model: 'local/tiny', createdAt: at });
  texts.forEach((text, i) =>
    store.messages.insert({ id: `${id}-m${i}`, conversationId: id, role: i % 2 === 0 ? 'user' : 'assistant', text, model: null, status: 'complete', createdAt: at + i }),
  );
}

const failure = (work: () => unknown): ContractFailure => {
  try {
    work();
  } catch (error) {
    if (error instanceof ContractFailure) return error;
    throw error;
  }
  throw new Error('expected a ContractFailure');
};

describe('conversation search', () => {
  it('finds titles and message text, case-insensitively, most recent first, with a snippet', () => {
    conversation('a', 'Trip to Lisbon', ['where should I eat?', 'Try the pastéis de nata near Belém.'], 1);
    conversation('b', 'Rust lifetimes', ['explain borrow checking', 'The BORROW checker makes sure references live long enough.'], 2);
    conversation('c', 'Groceries', ['milk, eggs'], 3);
    const edits = createConversationEditsService(store);

    expect(edits.search('lisbon', 50)).toEqual([{ conversation: expect.objectContaining({ id: 'a', messageCount: 2 }), snippet: null }]);
    const borrow = edits.search('Borrow', 50);
    expect(borrow.map((h) => h.conversation.id)).toEqual(['b']);
    expect(borrow[0]?.snippet).toBe('explain borrow checking');
    expect(edits.search('e', 50).map((h) => h.conversation.id)).toEqual(['c', 'b', 'a']);
    expect(edits.search('e', 2)).toHaveLength(2);
    expect(edits.search('nothing like this', 50)).toEqual([]);
  });

  it('takes % and _ literally', () => {
    conversation('a', 'Discounts', ['save 50% today'], 1);
    conversation('b', 'Other', ['save 50 today', 'snake_case names'], 2);
    const edits = createConversationEditsService(store);
    expect(edits.search('50%', 50).map((h) => h.conversation.id)).toEqual(['a']);
    expect(edits.search('e_c', 50).map((h) => h.conversation.id)).toEqual(['b']);
  });

  it('cuts a snippet around the match, on one line', () => {
    const text = `${'a'.repeat(100)} needle\nin the ${'b'.repeat(100)}`;
    expect(snippetAround(text, 'NEEDLE', 10)).toBe('…aaaaaaaaa needle in the bb…');
    expect(snippetAround('short text', 'text')).toBe('short text');
  });
});

describe('conversation truncation', () => {
  it('deletes a message and everything after it, and keeps the rest', () => {
    conversation('a', 'T', ['one', 'two', 'three', 'four'], 1);
    const edits = createConversationEditsService(store);
    expect(edits.truncate('a', 'a-m2')).toEqual({ deleted: 2 });
    expect(store.messages.listByConversation('a').map((m) => m.text)).toEqual(['one', 'two']);
    // a new message continues after the last one kept
    store.messages.insert({ id: 'n', conversationId: 'a', role: 'user', text: 'three again', model: null, status: 'complete', createdAt: 9 });
    expect(store.messages.listByConversation('a').map((m) => m.text)).toEqual(['one', 'two', 'three again']);
  });

  it('hands the attachments the deleted messages referred to to the sweep, right after the delete', () => {
    const image = (c: string) => ({ id: c.repeat(64), mediaType: 'image/png' as const, size: 3 });
    store.conversations.create({ id: 'a', title: 'T', model: null, createdAt: 1 });
    store.messages.insert({ id: 'q1', conversationId: 'a', role: 'user', text: 'one', model: null, status: 'complete', createdAt: 2, attachments: [image('a')] });
    store.messages.insert({ id: 'r1', conversationId: 'a', role: 'assistant', text: 'ok', model: 'x', status: 'complete', createdAt: 3 });
    store.messages.insert({ id: 'q2', conversationId: 'a', role: 'user', text: 'two', model: null, status: 'complete', createdAt: 4, attachments: [image('b'), image('c')] });
    const released: string[][] = [];
    const edits = createConversationEditsService(store, {
      releaseAttachments: (ids) => released.push([...ids].sort()),
    });
    expect(edits.truncate('a', 'r1')).toEqual({ deleted: 2 });
    expect(released).toEqual([['b'.repeat(64), 'c'.repeat(64)]]);
    // Nothing to release: not called.
    store.messages.insert({ id: 'r2', conversationId: 'a', role: 'assistant', text: 'ok', model: 'x', status: 'complete', createdAt: 5 });
    expect(edits.truncate('a', 'r2')).toEqual({ deleted: 1 });
    expect(released).toHaveLength(1);
  });

  it('refuses unknown conversations and messages, and a conversation still streaming', () => {
    conversation('a', 'T', ['one'], 1);
    conversation('b', 'U', ['other'], 2);
    const edits = createConversationEditsService(store);
    expect(failure(() => edits.truncate('zzz', 'a-m0')).code).toBe('NOT_FOUND');
    expect(failure(() => edits.truncate('a', 'b-m0')).code).toBe('NOT_FOUND');
    store.messages.insert({ id: 'live', conversationId: 'a', role: 'assistant', text: '', model: 'x', status: 'streaming', createdAt: 5 });
    expect(failure(() => edits.truncate('a', 'a-m0')).code).toBe('CONFLICT');
    expect(store.messages.listByConversation('a')).toHaveLength(2);
  });
});

describe('one message’s route', () => {
  it('is null for a message without a routed request, and NOT_FOUND for no message', () => {
    conversation('a', 'T', ['question'], 1);
    const edits = createConversationEditsService(store);
    expect(edits.route('a-m0')).toBeNull();
    expect(failure(() => edits.route('nope')).code).toBe('NOT_FOUND');
  });

  it('is built from the calls rows of the reply’s request', () => {
    store.conversations.create({ id: 'c', title: 'T', model: 'wire/gpt-4o', createdAt: 1 });
    store.messages.insert({ id: 'r', conversationId: 'c', role: 'assistant', text: 'ok', model: 'wire/gpt-4o', status: 'complete', createdAt: 2, requestId: 'req-1' });
    store.calls.begin({ id: 'call-1', requestId: 'req-1', attempt: 1, fallbackDepth: 0, conversationId: 'c', provider: 'wire', model: 'gpt-4o', deployment: 'wire/gpt-4o', startedAt: 2, client: 'chat' });
    const route = createConversationEditsService(store).route('r');
    expect(route).toMatchObject({ requestId: 'req-1', attempts: [{ attempt: 1, provider: 'wire', model: 'gpt-4o' }] });
  });
});
