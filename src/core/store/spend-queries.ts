import type Database from 'better-sqlite3';

/** What a budget counts: every call, or those of a provider, a group, or a model. */
export type SpendScope =
  | { kind: 'global' }
  | { kind: 'provider'; name: string }
  | { kind: 'group'; name: string }
  /** A model id (`gpt-4o`), or `provider/model`. */
  | { kind: 'model'; id: string };

export interface SpendQueries {
  /** Recorded cost in USD of the calls in scope that started at or after `from` (epoch ms). Unknown costs count as 0. */
  spentUsd(scope: SpendScope, from: number): number;
}

/**
 * Spend for budgets, straight from the `calls` rows: each query is one range scan of the covering
 * index `calls_ended` (started_at first), no table look-ups. Rows in flight have no cost yet and add nothing.
 */
export function createSpendQueries(db: Database.Database): SpendQueries {
  // `outcome IS NOT NULL` adds nothing to the sum (a row in flight has no cost yet) but lets the scan
  // use calls_ended, which covers every column here.
  const base = 'SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM calls WHERE outcome IS NOT NULL AND started_at >= ? AND cost_usd IS NOT NULL';
  const global = db.prepare<[number], { usd: number }>(base);
  const provider = db.prepare<[number, string], { usd: number }>(`${base} AND provider = ?`);
  const model = db.prepare<[number, string, string], { usd: number }>(`${base} AND (model = ? OR provider || '/' || model = ?)`);
  // A configured group's deployments are `group#index`: a range on the deployment id.
  const group = db.prepare<[number, string, string], { usd: number }>(`${base} AND deployment >= ? AND deployment < ?`);
  return {
    spentUsd(scope, from) {
      switch (scope.kind) {
        case 'global':
          return global.get(from)?.usd ?? 0;
        case 'provider':
          return provider.get(from, scope.name)?.usd ?? 0;
        case 'model':
          return model.get(from, scope.id, scope.id)?.usd ?? 0;
        case 'group':
          // '$' sorts right after '#': every `name#…` id and nothing else.
          return group.get(from, `${scope.name}#`, `${scope.name}$`)?.usd ?? 0;
      }
    },
  };
}
