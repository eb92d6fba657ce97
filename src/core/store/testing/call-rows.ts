import Database from 'better-sqlite3';

/**
 * The `calls` rows of one request as SQLite holds them (its own column names), by attempt: for
 * tests of the composed core that check what was written. Calls still in flight are rows of
 * `calls_in_flight` (the same columns) and come too. Read-only, on a connection of its own.
 * Test-only.
 */
export function readCallRows<Row extends object = Record<string, unknown>>(databasePath: string, requestId: string): Row[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db
      .prepare<[string, string], Row>(
        'SELECT * FROM calls WHERE request_id = ? UNION ALL SELECT * FROM calls_in_flight WHERE request_id = ? ORDER BY attempt',
      )
      .all(requestId, requestId);
  } finally {
    db.close();
  }
}
