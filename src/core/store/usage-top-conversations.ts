import type Database from 'better-sqlite3';
import { DAY_MS } from './usage-rollup';

/**
 * The conversations that cost most in a range, read by bound (`usage_conversation_bounds`): the
 * conversations that have a day in the range, by `cost_bound` (no range of a conversation costs
 * more), most first. Each one's exact sums over the range are read with a primary-key lookup
 * (whole days from `usage_conversations`, the partial days from its own calls), and the scan stops
 * once k of them cost more than the next bound: no conversation after it can enter the top k. At 1M
 * calls that is a few dozen conversations, where grouping every conversation-day took 20–40 ms.
 *
 * The sums are the same SQL sums over the same rows as the grouping read, and the parts are added
 * in JS in the same order, so the figures match it (SQLite's SUM is compensated: row order does
 * not show; identical on the bench database). A range where the bounds do not separate (many
 * conversations at flat, equal costs, or long-lived ones read over a short range) can make the
 * scan long: past `MAX_EXACT` lookups it gives up (undefined) and the caller groups instead.
 */

/** One conversation's calls, cost and tokens over a range. */
export interface ConversationSums {
  conversationId: string;
  calls: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

type Sums = Omit<ConversationSums, 'conversationId'>;

/** The sum parts of a range: whole UTC days [r0, r1) from the rollup, the edges [l0, l1) and [e0, e1) from calls. */
export interface RangeParts {
  r0: number;
  r1: number;
  l0: number;
  l1: number;
  e0: number;
  e1: number;
}

// A lookup costs 10–40 µs; past this many, grouping every conversation-day (~30 ms at 1M calls) is as cheap.
const MAX_EXACT = 1_000;

// Bounds and sums are added in different orders: a bound may be a rounding step below the exact
// sum it bounds. Stop only when the k-th cost clears the next bound by more than that.
const clears = (cost: number, bound: number) => cost > bound + Math.abs(bound) * 1e-9 + 1e-12;

const BY_BOUND_SQL = `
  SELECT conversation_id AS id, cost_bound AS bound FROM usage_conversation_bounds
  WHERE last_day >= @d0 AND first_day < @to ORDER BY cost_bound DESC`;
const DAYS_SQL = `
  SELECT COUNT(*) AS rows, COALESCE(SUM(calls), 0) AS calls, COALESCE(SUM(cost_usd), 0) AS costUsd,
    COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens
  FROM usage_conversations WHERE conversation_id = @id AND day >= @r0 AND day < @r1`;
const EDGE_SQL = `
  SELECT COUNT(*) AS calls, SUM(COALESCE(cost_usd, 0)) AS costUsd,
    SUM(COALESCE(input_tokens, 0)) AS inputTokens, SUM(COALESCE(output_tokens, 0)) AS outputTokens
  FROM calls WHERE conversation_id = @id AND outcome IS NOT NULL AND started_at >= @a AND started_at < @b`;

/** The statements, for `EXPLAIN QUERY PLAN` in tests. */
export const TOP_CONVERSATIONS_SQL = { byBound: BY_BOUND_SQL, days: DAYS_SQL, edge: EDGE_SQL } as const;

/** Most cost first, then most calls, then by id: the top list's order. */
export function byCost(x: ConversationSums, y: ConversationSums): number {
  return y.costUsd - x.costUsd || y.calls - x.calls || (x.conversationId < y.conversationId ? -1 : x.conversationId > y.conversationId ? 1 : 0);
}

/** Returns a reader of the top `k` conversations of a range, or undefined when the bounds do not separate it. */
export function createTopConversationsByBound(db: Database.Database) {
  const byBound = db.prepare<{ d0: number; to: number }, { id: string; bound: number }>(BY_BOUND_SQL);
  const days = db.prepare<{ id: string; r0: number; r1: number }, Sums & { rows: number }>(DAYS_SQL);
  const edge = db.prepare<{ id: string; a: number; b: number }, Sums>(EDGE_SQL);

  /** The conversation's exact sums over the range; undefined when it has no ended call in it. */
  const exact = (id: string, parts: RangeParts): ConversationSums | undefined => {
    const rolled = days.get({ id, r0: parts.r0, r1: parts.r1 });
    // The grouping read adds the two edges first, then the whole days: the same additions here.
    let edges: Sums | undefined;
    for (const [a, b] of [[parts.l0, parts.l1], [parts.e0, parts.e1]] as const) {
      if (a >= b) continue;
      const row = edge.get({ id, a, b });
      if (row === undefined || row.calls === 0) continue;
      edges = edges === undefined ? row : add(edges, row);
    }
    const hasDays = rolled !== undefined && rolled.rows > 0;
    if (!hasDays && edges === undefined) return undefined;
    const base: Sums = hasDays ? rolled : { calls: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 };
    const sums = edges === undefined ? base : add(base, edges);
    return { conversationId: id, calls: sums.calls, costUsd: sums.costUsd, inputTokens: sums.inputTokens, outputTokens: sums.outputTokens };
  };

  return (range: { from: number; to: number }, parts: RangeParts, k: number): ConversationSums[] | undefined => {
    if (k <= 0) return [];
    const top: ConversationSums[] = []; // the best k so far, sorted by byCost
    let looked = 0;
    for (const { id, bound } of byBound.iterate({ d0: Math.floor(range.from / DAY_MS) * DAY_MS, to: range.to })) {
      const kth = top[k - 1];
      if (kth !== undefined && clears(kth.costUsd, bound)) break;
      if (++looked > MAX_EXACT) return undefined;
      const sums = exact(id, parts);
      if (sums === undefined) continue;
      if (kth !== undefined && byCost(sums, kth) >= 0) continue;
      top.splice(insertionIndex(top, sums), 0, sums);
      if (top.length > k) top.pop();
    }
    return top;
  };
}

function add(x: Sums, y: Sums): Sums {
  return { calls: x.calls + y.calls, costUsd: x.costUsd + y.costUsd, inputTokens: x.inputTokens + y.inputTokens, outputTokens: x.outputTokens + y.outputTokens };
}

function insertionIndex(sorted: readonly ConversationSums[], row: ConversationSums): number {
  let i = sorted.length;
  while (i > 0 && byCost(row, sorted[i - 1] as ConversationSums) < 0) i--;
  return i;
}
