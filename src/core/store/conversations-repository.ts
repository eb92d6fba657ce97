import type Database from 'better-sqlite3';
import type { ConversationSummary } from '../../shared/domain';

export interface NewConversation {
  id: string;
  title: string;
  model: string | null;
  createdAt: number;
  /** The assistant it starts with, by name. */
  assistant?: string | null;
}

export interface ConversationsRepository {
  create(conversation: NewConversation): ConversationSummary;
  get(id: string): ConversationSummary | undefined;
  /** Most recently updated first. */
  list(limit: number): ConversationSummary[];
  /** Marks activity: bumps `updated_at` and remembers the last model used. */
  touch(id: string, updatedAt: number, model?: string): void;
  delete(id: string): boolean;
  /** Sets (or clears, with null) the assistant a conversation uses. False when there is no such conversation. */
  setAssistant(id: string, assistant: string | null): boolean;
  /** A renamed assistant: every conversation using `from` now uses `to`. Returns how many. */
  renameAssistant(from: string, to: string): number;
  /**
   * Conversations whose title or any message text contains `query` (case-insensitive for ASCII;
   * SQLite LIKE), most recent first, each with the first message text that matched (null when
   * only the title did).
   */
  search(query: string, limit: number): { conversation: ConversationSummary; matchedText: string | null }[];
}

interface ConversationRow {
  id: string;
  title: string;
  model: string | null;
  assistant: string | null;
  created_at: number;
  updated_at: number;
  message_count: number;
}

const SELECT = `
  SELECT c.id, c.title, c.model, c.assistant, c.created_at, c.updated_at,
         (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count
  FROM conversations c`;

export function createConversationsRepository(db: Database.Database): ConversationsRepository {
  const insert = db.prepare<[string, string, string | null, string | null, number, number]>(
    'INSERT INTO conversations (id, title, model, assistant, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const setAssistant = db.prepare<[string | null, string]>('UPDATE conversations SET assistant = ? WHERE id = ?');
  const renameAssistant = db.prepare<[string, string]>('UPDATE conversations SET assistant = ? WHERE assistant = ?');
  const byId = db.prepare<[string], ConversationRow>(`${SELECT} WHERE c.id = ?`);
  const recent = db.prepare<[number], ConversationRow>(`${SELECT} ORDER BY c.updated_at DESC, c.id LIMIT ?`);
  const touch = db.prepare<[number, string | null, string]>(
    'UPDATE conversations SET updated_at = MAX(updated_at, ?), model = COALESCE(?, model) WHERE id = ?',
  );
  const remove = db.prepare<[string]>('DELETE FROM conversations WHERE id = ?');
  // LIKE over title and text: substring matches (what a search box promises, unlike FTS5's whole
  // tokens) with no index to keep in step; a scan of a personal history takes milliseconds.
  const search = db.prepare<{ pattern: string; limit: number }, ConversationRow & { hit: string | null }>(`
    SELECT * FROM (
      SELECT c.id, c.title, c.model, c.assistant, c.created_at, c.updated_at,
             (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count,
             (SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.text LIKE @pattern ESCAPE '\\'
               ORDER BY m.seq LIMIT 1) AS hit
      FROM conversations c
    )
    WHERE title LIKE @pattern ESCAPE '\\' OR hit IS NOT NULL
    ORDER BY updated_at DESC, id LIMIT @limit`);

  return {
    create(c) {
      insert.run(c.id, c.title, c.model, c.assistant ?? null, c.createdAt, c.createdAt);
      return { id: c.id, title: c.title, model: c.model, ...(c.assistant != null && { assistant: c.assistant }), messageCount: 0, createdAt: c.createdAt, updatedAt: c.createdAt };
    },
    get(id) {
      const row = byId.get(id);
      return row === undefined ? undefined : toSummary(row);
    },
    list(limit) {
      return recent.all(limit).map(toSummary);
    },
    touch(id, updatedAt, model) {
      touch.run(updatedAt, model ?? null, id);
    },
    delete(id) {
      return remove.run(id).changes > 0;
    },
    setAssistant(id, assistant) {
      return setAssistant.run(assistant, id).changes > 0;
    },
    renameAssistant(from, to) {
      return renameAssistant.run(to, from).changes;
    },
    search(query, limit) {
      const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return search.all({ pattern, limit }).map((row) => ({ conversation: toSummary(row), matchedText: row.hit }));
    },
  };
}

function toSummary(row: ConversationRow): ConversationSummary {
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    // Absent rather than null when none, as before assistants existed.
    ...(row.assistant !== null && { assistant: row.assistant }),
    messageCount: row.message_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
