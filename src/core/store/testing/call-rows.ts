import Database from 'better-sqlite3';

/**
 * The `calls` rows of one request as SQLite holds them (its own column names), by attempt: for
 * tests of the composed core that check what was written. Read-only, on a connection of its own.
 * Test-only.
 */
export function readCallRows<Row extends object = Record<string, unknown>>(databasePath: string, requestId: string): Row[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db.prepare<[string], Row>('SELECT * FROM calls WHERE request_id = ? ORDER BY attempt').all(requestId);
  } finally {
    db.close();
  }
}
