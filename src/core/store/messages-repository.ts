import type Database from 'better-sqlite3';
import { type ChatMessage, type MessageStatus } from '../../shared/domain';
import { type ProviderErrorData, type Usage, providerErrorDataSchema, usageSchema } from '../../shared/llm';
import { readJsonColumn, writeJsonColumn } from './json-column';

export interface NewMessage {
  id: string;
  conversationId: string;
  role: ChatMessage['role'];
  text: string;
  model: string | null;
  status: MessageStatus;
  createdAt: number;
}

export interface MessageUpdate {
  text?: string;
  status?: MessageStatus;
  usage?: Usage | null;
  error?: ProviderErrorData | null;
  latencyMs?: number | null;
  ttftMs?: number | null;
}

export interface MessagesRepository {
  /** Appends to the conversation (after its last message). */
  insert(message: NewMessage): ChatMessage;
  get(id: string): ChatMessage | undefined;
  update(id: string, update: MessageUpdate): void;
  /** In conversation order. */
  listByConversation(conversationId: string): ChatMessage[];
  /** Every message still `streaming` becomes `error` with this error. Returns how many. */
  failStreaming(error: ProviderErrorData): number;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  role: ChatMessage['role'];
  text: string;
  model: string | null;
  status: MessageStatus;
  created_at: number;
  usage_json: string | null;
  error_json: string | null;
  latency_ms: number | null;
  ttft_ms: number | null;
}

const COLUMNS =
  'id, conversation_id, role, text, model, status, created_at, usage_json, error_json, latency_ms, ttft_ms';

export function createMessagesRepository(db: Database.Database): MessagesRepository {
  const insert = db.prepare<[string, string, string, string, string, string | null, string, number]>(`
    INSERT INTO messages (id, conversation_id, seq, role, text, model, status, created_at)
    VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = ?), ?, ?, ?, ?, ?)`);
  const byId = db.prepare<[string], MessageRow>(`SELECT ${COLUMNS} FROM messages WHERE id = ?`);
  const byConversation = db.prepare<[string], MessageRow>(
    `SELECT ${COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY seq`,
  );
  const failStreaming = db.prepare<[string]>(
    "UPDATE messages SET status = 'error', error_json = ? WHERE status = 'streaming'",
  );
  // One statement for any subset of fields: a flag per column says whether to set it.
  const update = db.prepare<
    [
      number, string | null,
      number, string | null,
      number, string | null,
      number, string | null,
      number, number | null,
      number, number | null,
      string,
    ]
  >(`
    UPDATE messages SET
      text       = CASE WHEN ? THEN ? ELSE text END,
      status     = CASE WHEN ? THEN ? ELSE status END,
      usage_json = CASE WHEN ? THEN ? ELSE usage_json END,
      error_json = CASE WHEN ? THEN ? ELSE error_json END,
      latency_ms = CASE WHEN ? THEN ? ELSE latency_ms END,
      ttft_ms    = CASE WHEN ? THEN ? ELSE ttft_ms END
    WHERE id = ?`);

  return {
    insert(m) {
      insert.run(m.id, m.conversationId, m.conversationId, m.role, m.text, m.model, m.status, m.createdAt);
      return {
        id: m.id,
        conversationId: m.conversationId,
        role: m.role,
        text: m.text,
        model: m.model,
        status: m.status,
        createdAt: m.createdAt,
        usage: null,
        error: null,
        latencyMs: null,
        ttftMs: null,
      };
    },
    get(id) {
      const row = byId.get(id);
      return row === undefined ? undefined : toMessage(row);
    },
    update(id, u) {
      const has = (key: keyof MessageUpdate) => (key in u && u[key] !== undefined ? 1 : 0);
      update.run(
        has('text'), u.text ?? null,
        has('status'), u.status ?? null,
        has('usage'), writeJsonColumn(u.usage === undefined || u.usage === null ? null : withoutRaw(u.usage)),
        has('error'), writeJsonColumn(u.error),
        has('latencyMs'), u.latencyMs ?? null,
        has('ttftMs'), u.ttftMs ?? null,
        id,
      );
    },
    listByConversation(conversationId) {
      return byConversation.all(conversationId).map(toMessage);
    },
    failStreaming(error) {
      return failStreaming.run(JSON.stringify(error)).changes;
    },
  };
}

/** `raw` is the provider's own payload: useful in flight, too big and too vague to keep. */
function withoutRaw(usage: Usage): Usage {
  return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
}

function toMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    text: row.text,
    model: row.model,
    status: row.status,
    createdAt: row.created_at,
    usage: readJsonColumn(row.usage_json, usageSchema),
    error: readJsonColumn(row.error_json, providerErrorDataSchema),
    latencyMs: row.latency_ms,
    ttftMs: row.ttft_ms,
  };
}
