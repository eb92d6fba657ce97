import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';

export interface MigrateResult {
  from: number;
  to: number;
}

/**
 * Brings the database up to the last migration. Each migration runs in its own
 * transaction together with its `user_version` bump, so a failure leaves the
 * database at the last version that fully applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): MigrateResult {
  const from = userVersion(db);
  if (from > migrations.length) {
    throw new Error(
      `the database is at schema version ${from}, newer than this build knows (${migrations.length}); ` +
        'it was written by a newer Switchboard. Update the app, or move the data dir aside.',
    );
  }
  for (let version = from; version < migrations.length; version++) {
    const migration = migrations[version] as Migration;
    const apply = db.transaction(() => {
      db.exec(migration.sql);
      // PRAGMA takes no bound parameters; `version` is our own integer.
      db.pragma(`user_version = ${version + 1}`);
    });
    try {
      apply();
    } catch (error) {
      throw new Error(`migration ${version + 1} (${migration.name}) failed: ${errorMessage(error)}`, { cause: error });
    }
  }
  return { from, to: migrations.length };
}

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
