import type Database from 'better-sqlite3';

/** One cached reply: the stream parts to replay, and who produced them. */
export interface CachedResponse {
  key: string;
  group: string;
  /** The stream parts as JSON text (validated when read back, by the caller). */
  partsJson: string;
  provider: string;
  model: string;
  deployment: string | null;
  createdAt: number;
  expiresAt: number;
}

export interface ResponseCacheRepository {
  /** The entry under `key` that has not expired at `now`. */
  get(key: string, now: number): CachedResponse | undefined;
  /** Writes (or replaces) an entry, drops expired ones, and keeps at most `maxEntries` (the newest). */
  put(entry: CachedResponse, now: number, maxEntries: number): void;
  /** Removes every entry. Returns how many. */
  clear(): number;
}

interface CacheRow {
  key: string;
  group_name: string;
  parts_json: string;
  provider: string;
  model: string;
  deployment: string | null;
  created_at: number;
  expires_at: number;
}

export function createResponseCacheRepository(db: Database.Database): ResponseCacheRepository {
  const get = db.prepare<[string, number], CacheRow>('SELECT * FROM response_cache WHERE key = ? AND expires_at > ?');
  const put = db.prepare<CacheRow>(`
    INSERT OR REPLACE INTO response_cache (key, group_name, parts_json, provider, model, deployment, created_at, expires_at)
    VALUES (@key, @group_name, @parts_json, @provider, @model, @deployment, @created_at, @expires_at)`);
  const expire = db.prepare<[number]>('DELETE FROM response_cache WHERE expires_at <= ?');
  const trim = db.prepare<[number]>(
    'DELETE FROM response_cache WHERE key IN (SELECT key FROM response_cache ORDER BY created_at DESC LIMIT -1 OFFSET ?)',
  );
  const clear = db.prepare('DELETE FROM response_cache');
  const write = db.transaction((row: CacheRow, now: number, maxEntries: number) => {
    put.run(row);
    expire.run(now);
    trim.run(maxEntries);
  });
  return {
    get(key, now) {
      const row = get.get(key, now);
      return row === undefined
        ? undefined
        : {
            key: row.key, group: row.group_name, partsJson: row.parts_json, provider: row.provider, model: row.model,
            deployment: row.deployment, createdAt: row.created_at, expiresAt: row.expires_at,
          };
    },
    put(e, now, maxEntries) {
      write(
        {
          key: e.key, group_name: e.group, parts_json: e.partsJson, provider: e.provider, model: e.model,
          deployment: e.deployment, created_at: e.createdAt, expires_at: e.expiresAt,
        },
        now,
        maxEntries,
      );
    },
    clear: () => clear.run().changes,
  };
}
