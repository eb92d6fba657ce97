import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { type Store, openStore } from './open-store';

let dir: string;
let path: string;
let store: Store | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-messages-'));
  path = join(dir, 'switchboard.db');
});
afterEach(() => {
  store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const open = () => (store = openStore({ path }));
const ref = (n: number) => ({ id: String(n).repeat(64).slice(0, 64), mediaType: 'image/png' as const, size: 10 + n });

function conversationWithReply(s: Store) {
  s.conversations.create({ id: 'c', title: 'T', model: null, createdAt: 1 });
  s.messages.insert({ id: 'u', conversationId: 'c', role: 'user', text: 'q', model: null, status: 'complete', createdAt: 2 });
  s.messages.insert({ id: 'a', conversationId: 'c', role: 'assistant', text: '', model: 'm', status: 'streaming', createdAt: 3 });
}

describe('messages: reasoning and tool calls', () => {
  it('stores them with the reply and reads them back; none reads as absent', () => {
    const s = open();
    conversationWithReply(s);
    expect(s.messages.get('a')).not.toHaveProperty('reasoning');
    expect(s.messages.get('a')).not.toHaveProperty('toolCalls');

    const toolCalls = [
      { id: 'call_1', name: 'get_weather', input: '{"city":"Paris"}' },
      { id: 'call_2', name: 'lookup', input: 'not json {', result: 'nothing found', isError: true },
    ];
    s.messages.update('a', { text: 'done', status: 'complete', reasoning: 'First, think.', toolCalls });
    expect(s.messages.get('a')).toMatchObject({ text: 'done', status: 'complete', reasoning: 'First, think.', toolCalls });
    expect(s.messages.listByConversation('c')[1]).toMatchObject({ reasoning: 'First, think.', toolCalls });

    // A later update of other fields leaves them alone; '' and [] clear them.
    s.messages.update('a', { text: 'done!' });
    expect(s.messages.get('a')).toMatchObject({ text: 'done!', reasoning: 'First, think.', toolCalls });
    s.messages.update('a', { reasoning: '', toolCalls: [] });
    expect(s.messages.get('a')).not.toHaveProperty('reasoning');
    expect(s.messages.get('a')).not.toHaveProperty('toolCalls');
  });

  it('reads a tool_calls column that does not match its schema as none, not as a wrong shape', () => {
    const s = open();
    conversationWithReply(s);
    s.close();
    store = undefined;
    const db = new Database(path);
    db.prepare("UPDATE messages SET tool_calls_json = ?, reasoning = 'kept' WHERE id = 'a'").run(JSON.stringify([{ id: 1, name: null }]));
    db.prepare("UPDATE messages SET tool_calls_json = '{not json' WHERE id = 'u'").run();
    db.close();
    const again = open();
    expect(again.messages.get('a')).toMatchObject({ reasoning: 'kept' });
    expect(again.messages.get('a')).not.toHaveProperty('toolCalls');
    expect(again.messages.get('u')).not.toHaveProperty('toolCalls');
  });

  it('migrates a database from before the columns: old rows read without them, new writes keep them', () => {
    const at = MIGRATIONS.findIndex((m) => m.name === 'messages: reasoning and tool calls');
    expect(at).toBeGreaterThan(0);
    const db = new Database(path);
    migrate(db, MIGRATIONS.slice(0, at));
    db.prepare("INSERT INTO conversations (id, title, model, created_at, updated_at) VALUES ('c', 'Old', NULL, 1, 1)").run();
    db.prepare(
      "INSERT INTO messages (id, conversation_id, seq, role, text, model, status, created_at) VALUES ('old', 'c', 1, 'assistant', 'hello', 'm', 'complete', 2)",
    ).run();
    db.close();

    const s = open();
    expect(s.schemaVersion()).toBe(MIGRATIONS.length);
    const old = s.messages.get('old');
    expect(old).toMatchObject({ text: 'hello', status: 'complete' });
    expect(old).not.toHaveProperty('reasoning');
    expect(old).not.toHaveProperty('toolCalls');
    s.messages.update('old', { reasoning: 'r', toolCalls: [{ id: 't', name: 'n', input: '{}' }] });
    expect(s.messages.get('old')).toMatchObject({ reasoning: 'r', toolCalls: [{ id: 't', name: 'n', input: '{}' }] });
  });
});

describe('messages: attachment references', () => {
  it('lists every attachment id in use, and the ids a truncation would release', () => {
    const s = open();
    s.conversations.create({ id: 'c', title: 'T', model: null, createdAt: 1 });
    s.conversations.create({ id: 'd', title: 'U', model: null, createdAt: 1 });
    s.messages.insert({ id: 'm1', conversationId: 'c', role: 'user', text: 'a', model: null, status: 'complete', createdAt: 2, attachments: [ref(1), ref(2)] });
    s.messages.insert({ id: 'm2', conversationId: 'c', role: 'assistant', text: 'b', model: 'm', status: 'complete', createdAt: 3 });
    s.messages.insert({ id: 'm3', conversationId: 'c', role: 'user', text: 'c', model: null, status: 'complete', createdAt: 4, attachments: [ref(2), ref(3)] });
    s.messages.insert({ id: 'n1', conversationId: 'd', role: 'user', text: 'd', model: null, status: 'complete', createdAt: 5, attachments: [ref(3)] });

    expect([...s.messages.attachmentIdsInUse()].sort()).toEqual([ref(1).id, ref(2).id, ref(3).id]);
    expect(s.messages.attachmentIdsFrom('c', 'm2').sort()).toEqual([ref(2).id, ref(3).id]);
    expect(s.messages.attachmentIdsFrom('c', 'm1').sort()).toEqual([ref(1).id, ref(2).id, ref(3).id]);
    expect(s.messages.attachmentIdsFrom('c', 'missing')).toEqual([]);

    s.messages.deleteFrom('c', 'm2');
    expect([...s.messages.attachmentIdsInUse()].sort()).toEqual([ref(1).id, ref(2).id, ref(3).id]);
    s.conversations.delete('c');
    expect([...s.messages.attachmentIdsInUse()]).toEqual([ref(3).id]);
  });
});
