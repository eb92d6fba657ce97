import type Database from 'better-sqlite3';
import { type DownloadError, type DownloadSource, type DownloadState, downloadErrorSchema, downloadSourceSchema } from '../../shared/contract';
import { readJsonColumn, writeJsonColumn } from './json-column';

/** A download job as stored: the contract's job without the live figures (speed, ETA). */
export interface StoredDownload {
  id: string;
  sourceKey: string;
  source: DownloadSource;
  title: string;
  state: DownloadState;
  bytes: number;
  total: number | null;
  destPath: string | null;
  sha256: string | null;
  attempts: number;
  error: DownloadError | null;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
}

export type DownloadUpdate = Partial<Omit<StoredDownload, 'id' | 'sourceKey' | 'source' | 'createdAt'>> & { updatedAt: number };

export interface DownloadsRepository {
  insert(job: StoredDownload): void;
  update(id: string, update: DownloadUpdate): void;
  get(id: string): StoredDownload | undefined;
  /** Newest first. */
  list(): StoredDownload[];
  /** The job for this source that has not finished (not completed, failed or cancelled), if any. */
  findUnfinished(sourceKey: string): StoredDownload | undefined;
  delete(id: string): boolean;
}

interface Row {
  id: string;
  source_key: string;
  source_json: string;
  title: string;
  state: DownloadState;
  bytes: number;
  total: number | null;
  dest_path: string | null;
  sha256: string | null;
  attempts: number;
  error_json: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

const COLUMNS: Record<Exclude<keyof DownloadUpdate, 'error'>, string> = {
  title: 'title',
  state: 'state',
  bytes: 'bytes',
  total: 'total',
  destPath: 'dest_path',
  sha256: 'sha256',
  attempts: 'attempts',
  updatedAt: 'updated_at',
  completedAt: 'completed_at',
};

export function createDownloadsRepository(db: Database.Database): DownloadsRepository {
  const insert = db.prepare(
    `INSERT INTO download_jobs (id, source_key, source_json, title, state, bytes, total, dest_path, sha256, attempts, error_json, created_at, updated_at, completed_at)
     VALUES (@id, @source_key, @source_json, @title, @state, @bytes, @total, @dest_path, @sha256, @attempts, @error_json, @created_at, @updated_at, @completed_at)`,
  );
  const byId = db.prepare<[string], Row>('SELECT * FROM download_jobs WHERE id = ?');
  const all = db.prepare<[], Row>('SELECT * FROM download_jobs ORDER BY created_at DESC, id DESC');
  const unfinished = db.prepare<[string], Row>(
    "SELECT * FROM download_jobs WHERE source_key = ? AND state NOT IN ('completed', 'failed', 'cancelled') ORDER BY created_at DESC LIMIT 1",
  );
  const remove = db.prepare<[string]>('DELETE FROM download_jobs WHERE id = ?');
  // One prepared UPDATE per set of columns, made on first use.
  const updates = new Map<string, Database.Statement>();

  return {
    insert(job) {
      insert.run({
        id: job.id,
        source_key: job.sourceKey,
        source_json: JSON.stringify(job.source),
        title: job.title,
        state: job.state,
        bytes: job.bytes,
        total: job.total,
        dest_path: job.destPath,
        sha256: job.sha256,
        attempts: job.attempts,
        error_json: writeJsonColumn(job.error),
        created_at: job.createdAt,
        updated_at: job.updatedAt,
        completed_at: job.completedAt,
      });
    },
    update(id, update) {
      const keys = Object.keys(update).filter((k) => (update as Record<string, unknown>)[k] !== undefined).sort();
      const sets = keys.map((k) => (k === 'error' ? 'error_json = @error' : `${COLUMNS[k as keyof typeof COLUMNS]} = @${k}`));
      const sql = `UPDATE download_jobs SET ${sets.join(', ')} WHERE id = @id`;
      let statement = updates.get(sql);
      if (statement === undefined) updates.set(sql, (statement = db.prepare(sql)));
      const params: Record<string, unknown> = { id };
      for (const k of keys) params[k] = k === 'error' ? writeJsonColumn(update.error) : (update as Record<string, unknown>)[k];
      statement.run(params);
    },
    get(id) {
      const row = byId.get(id);
      return row === undefined ? undefined : toJob(row);
    },
    list() {
      return all.all().flatMap((row) => toJob(row) ?? []);
    },
    findUnfinished(sourceKey) {
      const row = unfinished.get(sourceKey);
      return row === undefined ? undefined : toJob(row);
    },
    delete(id) {
      return remove.run(id).changes > 0;
    },
  };
}

/** A row whose source no longer parses (a newer build wrote it) is left out rather than guessed at. */
function toJob(row: Row): StoredDownload | undefined {
  const source = readJsonColumn(row.source_json, downloadSourceSchema);
  if (source === null) return undefined;
  return {
    id: row.id,
    sourceKey: row.source_key,
    source,
    title: row.title,
    state: row.state,
    bytes: row.bytes,
    total: row.total,
    destPath: row.dest_path,
    sha256: row.sha256,
    attempts: row.attempts,
    error: readJsonColumn(row.error_json, downloadErrorSchema),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}
