import type Database from 'better-sqlite3';

/** What a budget counts: every call, or those of a provider, a group, or a model. */
export type SpendScope =
  | { kind: 'global' }
  | { kind: 'provider'; name: string }
  | { kind: 'group'; name: string }
  /** A model id (`gpt-4o`), or `provider/model`. */
  | { kind: 'model'; id: string };

/** Where the `calls` rows ended at a read, for a later read of only what came after. */
export interface SpendMark {
  /** The largest rowid of `calls`: rows are appended, so later rows have larger ones. */
  row: number;
  /** Clears of `calls` rows so far, by any process (`usage.clear`): after one, sums read before no longer hold. */
  clears: number;
}

export interface SpendQueries {
  /**
   * Recorded cost in USD of the calls in scope that started at or after `from` (epoch ms). Unknown
   * costs count as 0. With `throughRow` (a mark's `row`), only the rows up to it.
   */
  spentUsd(scope: SpendScope, from: number, throughRow?: number): number;
  /** The same sum over only the rows after `afterRow` and up to `throughRow` (marks' `row`s): one range of the table's rowids. */
  spentUsdAfter(scope: SpendScope, from: number, afterRow: number, throughRow: number): number;
  mark(): SpendMark;
}

/**
 * Spend for budgets, straight from the `calls` rows: `spentUsd` is one range scan of the covering
 * index `calls_ended` (started_at first), no table look-ups; `spentUsdAfter` one range of rowids
 * (NOT INDEXED: the planner would otherwise scan the period on calls_ended). Rows in flight have no
 * cost yet and add nothing.
 *
 * Both stop at a mark's row: another process may append between a mark and the sum, and a row
 * counted by a sum must not be counted again by the next read after that mark (nor one missed).
 */
export function createSpendQueries(db: Database.Database): SpendQueries {
  const sums = (from: string, extra: string) => {
    // `outcome IS NOT NULL` adds nothing to the sum (a row in flight has no cost yet) but lets the
    // period scan use calls_ended, which covers every column here.
    const base = `SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM ${from} WHERE outcome IS NOT NULL AND started_at >= ? AND cost_usd IS NOT NULL${extra}`;
    return {
      global: db.prepare<unknown[], { usd: number }>(base),
      provider: db.prepare<unknown[], { usd: number }>(`${base} AND provider = ?`),
      model: db.prepare<unknown[], { usd: number }>(`${base} AND (model = ? OR provider || '/' || model = ?)`),
      // A configured group's deployments are `group#index`: a range on the deployment id.
      group: db.prepare<unknown[], { usd: number }>(`${base} AND deployment >= ? AND deployment < ?`),
    };
  };
  const whole = sums('calls', '');
  // `+rowid`: a bound that must not steer the planner off calls_ended (which holds the rowid).
  const wholeThrough = sums('calls', ' AND +rowid <= ?');
  const after = sums('calls NOT INDEXED', ' AND rowid > ? AND rowid <= ?');
  // One statement, one snapshot: the last row and the clears that came before it.
  const lastRow = db.prepare<[], { row: number | null; clears: number | null }>(
    "SELECT (SELECT MAX(rowid) FROM calls) AS row, (SELECT value FROM store_counters WHERE name = 'calls_cleared') AS clears",
  );

  const sum = (statements: ReturnType<typeof sums>, scope: SpendScope, head: unknown[]): number => {
    switch (scope.kind) {
      case 'global':
        return statements.global.get(...head)?.usd ?? 0;
      case 'provider':
        return statements.provider.get(...head, scope.name)?.usd ?? 0;
      case 'model':
        return statements.model.get(...head, scope.id, scope.id)?.usd ?? 0;
      case 'group':
        // '$' sorts right after '#': every `name#…` id and nothing else.
        return statements.group.get(...head, `${scope.name}#`, `${scope.name}$`)?.usd ?? 0;
    }
  };
  return {
    spentUsd: (scope, from, throughRow) => (throughRow === undefined ? sum(whole, scope, [from]) : sum(wholeThrough, scope, [from, throughRow])),
    spentUsdAfter: (scope, from, afterRow, throughRow) => sum(after, scope, [from, afterRow, throughRow]),
    mark: () => {
      const mark = lastRow.get();
      return { row: mark?.row ?? 0, clears: mark?.clears ?? 0 };
    },
  };
}
