import type Database from 'better-sqlite3';
import { z } from 'zod';
import { type AttachmentRef, type MessageStatus, attachmentRefSchema, messageStatusSchema } from '../../shared/domain';
import { type ProviderErrorData, type Usage, providerErrorDataSchema, usageSchema } from '../../shared/llm';
import { readJsonColumn, writeJsonColumn } from './json-column';

/** One column of a stored comparison: its model, the routed request (its `calls` rows) and its answer. */
export interface StoredCompareColumn {
  column: number;
  model: string;
  requestId: string;
  text: string;
  status: MessageStatus;
  error: ProviderErrorData | null;
  usage: Usage | null;
  latencyMs: number | null;
  ttftMs: number | null;
}

export interface StoredCompareRun {
  id: string;
  text: string;
  attachments: AttachmentRef[];
  createdAt: number;
  columns: StoredCompareColumn[];
}

export interface NewCompareRun {
  id: string;
  text: string;
  attachments: readonly AttachmentRef[];
  createdAt: number;
  columns: readonly { column: number; model: string; requestId: string }[];
}

export type CompareColumnUpdate = Partial<Pick<StoredCompareColumn, 'text' | 'status' | 'error' | 'usage' | 'latencyMs' | 'ttftMs'>>;

export interface CompareRepository {
  /** The run and its columns (each `streaming`, no text yet), in one transaction; then only the newest `keep` runs stay. */
  insert(run: NewCompareRun, keep: number): void;
  update(runId: string, column: number, update: CompareColumnUpdate): void;
  get(runId: string): StoredCompareRun | undefined;
  /** Newest first. */
  listRecent(limit: number): StoredCompareRun[];
  /** Every column still `streaming` (a crash) becomes `error` with this error. Returns how many. */
  failStreaming(error: ProviderErrorData): number;
  /** Deletes a run and its columns (its `calls` rows stay: usage is never lost). False when no run has that id. */
  delete(runId: string): boolean;
  /** The ids of the images stored runs refer to (kept by the attachment sweep). */
  attachmentIdsInUse(): Set<string>;
}

interface RunRow {
  id: string;
  text: string;
  attachments_json: string | null;
  created_at: number;
}

interface ColumnRow {
  run_id: string;
  col: number;
  model: string;
  request_id: string;
  text: string;
  status: string;
  error_json: string | null;
  usage_json: string | null;
  latency_ms: number | null;
  ttft_ms: number | null;
}

const attachmentsSchema = z.array(attachmentRefSchema);

export function createCompareRepository(db: Database.Database): CompareRepository {
  const insertRun = db.prepare<[string, string, string | null, number]>('INSERT INTO compare_runs (id, text, attachments_json, created_at) VALUES (?, ?, ?, ?)');
  const insertColumn = db.prepare<[string, number, string, string]>(
    "INSERT INTO compare_columns (run_id, col, model, request_id, text, status) VALUES (?, ?, ?, ?, '', 'streaming')",
  );
  // Runs with a streaming column are never trimmed away under it.
  const trim = db.prepare<[number]>(`
    DELETE FROM compare_runs WHERE id IN (SELECT id FROM compare_runs ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)
      AND NOT EXISTS (SELECT 1 FROM compare_columns c WHERE c.run_id = compare_runs.id AND c.status = 'streaming')`);
  const getRun = db.prepare<[string], RunRow>('SELECT id, text, attachments_json, created_at FROM compare_runs WHERE id = ?');
  const recent = db.prepare<[number], RunRow>('SELECT id, text, attachments_json, created_at FROM compare_runs ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const columnsOf = db.prepare<[string], ColumnRow>('SELECT * FROM compare_columns WHERE run_id = ? ORDER BY col');
  const attachmentsInUse = db.prepare<[], { id: unknown }>(`
    SELECT DISTINCT json_extract(ref.value, '$.id') AS id
    FROM compare_runs, json_each(compare_runs.attachments_json) AS ref
    WHERE compare_runs.attachments_json IS NOT NULL AND json_valid(compare_runs.attachments_json)`);
  // Its columns go with it (ON DELETE CASCADE).
  const deleteRun = db.prepare<[string]>('DELETE FROM compare_runs WHERE id = ?');
  const failStreaming = db.prepare<[string]>("UPDATE compare_columns SET status = 'error', error_json = ? WHERE status = 'streaming'");

  const toColumn = (row: ColumnRow): StoredCompareColumn => {
    const status = messageStatusSchema.safeParse(row.status);
    return {
      column: row.col,
      model: row.model,
      requestId: row.request_id,
      text: row.text,
      status: status.success ? status.data : 'error',
      error: readJsonColumn(row.error_json, providerErrorDataSchema),
      usage: readJsonColumn(row.usage_json, usageSchema),
      latencyMs: row.latency_ms,
      ttftMs: row.ttft_ms,
    };
  };
  const toRun = (row: RunRow): StoredCompareRun => ({
    id: row.id,
    text: row.text,
    attachments: readJsonColumn(row.attachments_json, attachmentsSchema) ?? [],
    createdAt: row.created_at,
    columns: columnsOf.all(row.id).map(toColumn),
  });

  const columns: Record<keyof CompareColumnUpdate, { sql: string; value: (u: CompareColumnUpdate) => string | number | null }> = {
    text: { sql: 'text', value: (u) => u.text ?? '' },
    status: { sql: 'status', value: (u) => u.status ?? 'error' },
    error: { sql: 'error_json', value: (u) => writeJsonColumn(u.error) },
    usage: { sql: 'usage_json', value: (u) => writeJsonColumn(u.usage) },
    latencyMs: { sql: 'latency_ms', value: (u) => u.latencyMs ?? null },
    ttftMs: { sql: 'ttft_ms', value: (u) => u.ttftMs ?? null },
  };
  const updates = new Map<string, Database.Statement>();
  const updateStatement = (keys: (keyof CompareColumnUpdate)[]) => {
    const sql = `UPDATE compare_columns SET ${keys.map((k) => `${columns[k].sql} = ?`).join(', ')} WHERE run_id = ? AND col = ?`;
    let statement = updates.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      updates.set(sql, statement);
    }
    return statement;
  };

  return {
    insert: db.transaction((run: NewCompareRun, keep: number) => {
      insertRun.run(run.id, run.text, writeJsonColumn(run.attachments.length === 0 ? null : run.attachments), run.createdAt);
      for (const c of run.columns) insertColumn.run(run.id, c.column, c.model, c.requestId);
      trim.run(keep);
    }),
    update(runId, column, update) {
      const keys = (Object.keys(update) as (keyof CompareColumnUpdate)[]).filter((k) => update[k] !== undefined && k in columns);
      if (keys.length === 0) return;
      updateStatement(keys).run(...keys.map((k) => columns[k].value(update)), runId, column);
    },
    get(runId) {
      const row = getRun.get(runId);
      return row === undefined ? undefined : toRun(row);
    },
    listRecent(limit) {
      return recent.all(limit).map(toRun);
    },
    delete(runId) {
      return deleteRun.run(runId).changes > 0;
    },
    failStreaming(error) {
      return failStreaming.run(JSON.stringify(error)).changes;
    },
    attachmentIdsInUse() {
      return new Set(attachmentsInUse.all().flatMap((row) => (typeof row.id === 'string' ? [row.id] : [])));
    },
  };
}
