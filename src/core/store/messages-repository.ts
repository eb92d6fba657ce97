import type Database from 'better-sqlite3';
import { z } from 'zod';
import { type AttachmentRef, type ChatMessage, type MessageStatus, type StoredToolCall, attachmentRefSchema, storedToolCallSchema } from '../../shared/domain';
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
  /** Images a user message carries (stored by hash); omit or [] for none. */
  attachments?: readonly AttachmentRef[];
  /** The routed request an assistant message answers (its `calls` rows). */
  requestId?: string;
}

export interface MessageUpdate {
  text?: string;
  status?: MessageStatus;
  usage?: Usage | null;
  error?: ProviderErrorData | null;
  latencyMs?: number | null;
  ttftMs?: number | null;
  /** The reply's reasoning; '' or null stores none. */
  reasoning?: string | null;
  /** Tools the reply asked to call; [] or null stores none. */
  toolCalls?: readonly StoredToolCall[] | null;
}

export interface MessagesRepository {
  /** Appends to the conversation (after its last message). */
  insert(message: NewMessage): ChatMessage;
  get(id: string): ChatMessage | undefined;
  update(id: string, update: MessageUpdate): void;
  /** In conversation order. */
  listByConversation(conversationId: string): ChatMessage[];
  /** Deletes `messageId` and every message after it in its conversation (edit, regenerate). Returns how many. */
  deleteFrom(conversationId: string, messageId: string): number;
  /** Every message still `streaming` becomes `error` with this error. Returns how many. */
  failStreaming(error: ProviderErrorData): number;
  /** The ids of every attachment some message refers to (what the attachment sweep must keep). */
  attachmentIdsInUse(): Set<string>;
  /** The attachment ids the messages from `messageId` on refer to (what a `deleteFrom` would release). */
  attachmentIdsFrom(conversationId: string, messageId: string): string[];
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
  attachments_json: string | null;
  request_id: string | null;
  reasoning: string | null;
  tool_calls_json: string | null;
}

const COLUMNS =
  'id, conversation_id, role, text, model, status, created_at, usage_json, error_json, latency_ms, ttft_ms, attachments_json, request_id, reasoning, tool_calls_json';

const attachmentsColumnSchema = z.array(attachmentRefSchema);
const toolCallsColumnSchema = z.array(storedToolCallSchema);

export function createMessagesRepository(db: Database.Database): MessagesRepository {
  const insert = db.prepare<[string, string, string, string, string, string | null, string, number, string | null, string | null]>(`
    INSERT INTO messages (id, conversation_id, seq, role, text, model, status, created_at, attachments_json, request_id)
    VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = ?), ?, ?, ?, ?, ?, ?, ?)`);
  const byId = db.prepare<[string], MessageRow>(`SELECT ${COLUMNS} FROM messages WHERE id = ?`);
  const byConversation = db.prepare<[string], MessageRow>(
    `SELECT ${COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY seq`,
  );
  const deleteFrom = db.prepare<{ conversationId: string; messageId: string }>(`
    DELETE FROM messages WHERE conversation_id = @conversationId
      AND seq >= (SELECT seq FROM messages WHERE id = @messageId AND conversation_id = @conversationId)`);
  const failStreaming = db.prepare<[string]>(
    "UPDATE messages SET status = 'error', error_json = ? WHERE status = 'streaming'",
  );
  // json_each over the refs: the ids come out of SQLite without parsing every row in JS.
  const attachmentsInUse = db.prepare<[], { id: unknown }>(`
    SELECT DISTINCT json_extract(ref.value, '$.id') AS id
    FROM messages, json_each(messages.attachments_json) AS ref
    WHERE messages.attachments_json IS NOT NULL AND json_valid(messages.attachments_json)`);
  const attachmentsFrom = db.prepare<{ conversationId: string; messageId: string }, { id: unknown }>(`
    SELECT DISTINCT json_extract(ref.value, '$.id') AS id
    FROM messages, json_each(messages.attachments_json) AS ref
    WHERE messages.conversation_id = @conversationId AND messages.attachments_json IS NOT NULL
      AND json_valid(messages.attachments_json)
      AND messages.seq >= (SELECT seq FROM messages WHERE id = @messageId AND conversation_id = @conversationId)`);
  // One statement for any subset of fields: a flag per column says whether to set it.
  const update = db.prepare<
    [
      number, string | null,
      number, string | null,
      number, string | null,
      number, string | null,
      number, number | null,
      number, number | null,
      number, string | null,
      number, string | null,
      string,
    ]
  >(`
    UPDATE messages SET
      text       = CASE WHEN ? THEN ? ELSE text END,
      status     = CASE WHEN ? THEN ? ELSE status END,
      usage_json = CASE WHEN ? THEN ? ELSE usage_json END,
      error_json = CASE WHEN ? THEN ? ELSE error_json END,
      latency_ms = CASE WHEN ? THEN ? ELSE latency_ms END,
      ttft_ms    = CASE WHEN ? THEN ? ELSE ttft_ms END,
      reasoning  = CASE WHEN ? THEN ? ELSE reasoning END,
      tool_calls_json = CASE WHEN ? THEN ? ELSE tool_calls_json END
    WHERE id = ?`);

  return {
    insert(m) {
      const attachments = m.attachments !== undefined && m.attachments.length > 0 ? [...m.attachments] : undefined;
      insert.run(m.id, m.conversationId, m.conversationId, m.role, m.text, m.model, m.status, m.createdAt, writeJsonColumn(attachments ?? null), m.requestId ?? null);
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
        ...(attachments !== undefined && { attachments }),
        ...(m.requestId !== undefined && { requestId: m.requestId }),
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
        has('reasoning'), u.reasoning === undefined || u.reasoning === '' ? null : u.reasoning,
        has('toolCalls'), writeJsonColumn(u.toolCalls === undefined || u.toolCalls === null || u.toolCalls.length === 0 ? null : u.toolCalls),
        id,
      );
    },
    listByConversation(conversationId) {
      return byConversation.all(conversationId).map(toMessage);
    },
    deleteFrom(conversationId, messageId) {
      return deleteFrom.run({ conversationId, messageId }).changes;
    },
    failStreaming(error) {
      return failStreaming.run(JSON.stringify(error)).changes;
    },
    attachmentIdsInUse() {
      return new Set(attachmentsInUse.all().map((row) => row.id).filter((id): id is string => typeof id === 'string'));
    },
    attachmentIdsFrom(conversationId, messageId) {
      return attachmentsFrom.all({ conversationId, messageId }).map((row) => row.id).filter((id): id is string => typeof id === 'string');
    },
  };
}

/** `raw` is the provider's own payload: useful in flight, too big and too vague to keep. */
function withoutRaw(usage: Usage): Usage {
  return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
}

function toMessage(row: MessageRow): ChatMessage {
  const attachments = readJsonColumn(row.attachments_json, attachmentsColumnSchema);
  const toolCalls = readJsonColumn(row.tool_calls_json, toolCallsColumnSchema);
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
    ...(row.request_id !== null && { requestId: row.request_id }),
    ...(attachments !== null && attachments.length > 0 && { attachments }),
    ...(row.reasoning !== null && row.reasoning !== '' && { reasoning: row.reasoning }),
    ...(toolCalls !== null && toolCalls.length > 0 && { toolCalls }),
  };
}
