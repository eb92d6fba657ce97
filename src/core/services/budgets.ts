import {
  BUDGET_THRESHOLDS,
  type BudgetAction,
  type BudgetAlert,
  type BudgetPeriod,
  type BudgetStatus,
  type BudgetThreshold,
} from '../../shared/contract/budgets';
import { type BudgetVerdict, type Deployment } from '../router';
import { type SpendQueries, type SpendScope } from '../store';
import { type RecordedSpend, createSpendTracker } from './spend-tracker';

/** A budget as switchboard.yaml has it (validated). */
export interface BudgetConfig {
  scope: string;
  daily?: number | undefined;
  monthly?: number | undefined;
  onExceeded?: BudgetAction | undefined;
}

export interface BudgetsDeps {
  spend: SpendQueries;
  /** The budgets of the config in force. */
  budgets: () => readonly BudgetConfig[];
  clock: () => number;
  /** A threshold crossed (once per threshold per period). */
  emit?: (alert: BudgetAlert) => void;
  /** How old the spend a request's check uses may be (plus what this process recorded since); spend-tracker.ts. */
  timing?: { refreshMs?: number; wholeMs?: number };
}

export interface BudgetsService {
  /** Every budget limit's spend this period. */
  status(): { budgets: BudgetStatus[] };
  /**
   * The budget check of one request, from the spend kept for it (spend-tracker.ts): no query per
   * request. Local deployments cost nothing and are never dropped.
   */
  forRequest(): (d: Deployment) => BudgetVerdict;
  /** An attempt that cost something was recorded: its spend counts from now on, and alerts for the thresholds newly crossed. */
  recorded(spend: RecordedSpend): void;
  /** At start: what is already crossed this period counts as announced (a restart repeats no alert). */
  prime(): void;
}

/** One limit: a budget with `daily` and `monthly` has two. */
interface Limit {
  scope: string;
  target: SpendScope;
  period: BudgetPeriod;
  limitUsd: number;
  action: BudgetAction;
}

/** `global`, `provider:NAME`, `group:NAME`, `model:ID` (the config schema checked the form). */
export function parseScope(scope: string): SpendScope {
  if (scope === 'global') return { kind: 'global' };
  const colon = scope.indexOf(':');
  const kind = scope.slice(0, colon);
  const name = scope.slice(colon + 1);
  if (kind === 'provider') return { kind: 'provider', name };
  if (kind === 'group') return { kind: 'group', name };
  return { kind: 'model', id: name };
}

/** Whether a limit's scope covers a deployment (the same rule as the spend queries' SQL). */
export function covers(target: SpendScope, d: Pick<Deployment, 'id' | 'provider' | 'model'>): boolean {
  switch (target.kind) {
    case 'global':
      return true;
    case 'provider':
      return d.provider === target.name;
    case 'group':
      return d.id.startsWith(`${target.name}#`);
    case 'model':
      return d.model === target.id || `${d.provider}/${d.model}` === target.id;
  }
}

/** The period holding `now`, in the host's local time: from midnight (or the 1st) to the next. */
export function periodOf(period: BudgetPeriod, now: number): { start: number; end: number } {
  const t = new Date(now);
  if (period === 'daily') {
    return {
      start: new Date(t.getFullYear(), t.getMonth(), t.getDate()).getTime(),
      end: new Date(t.getFullYear(), t.getMonth(), t.getDate() + 1).getTime(),
    };
  }
  return { start: new Date(t.getFullYear(), t.getMonth(), 1).getTime(), end: new Date(t.getFullYear(), t.getMonth() + 1, 1).getTime() };
}

function limitsOf(budgets: readonly BudgetConfig[]): Limit[] {
  return budgets.flatMap((b) => {
    const base = { scope: b.scope, target: parseScope(b.scope), action: b.onExceeded ?? 'block' };
    return [
      ...(b.daily !== undefined ? [{ ...base, period: 'daily' as const, limitUsd: b.daily }] : []),
      ...(b.monthly !== undefined ? [{ ...base, period: 'monthly' as const, limitUsd: b.monthly }] : []),
    ];
  });
}

const keyOf = (l: Limit) => `${l.scope}|${l.period}`;
const percentOf = (spent: number, limit: number) => (limit > 0 ? (spent / limit) * 100 : spent > 0 ? Infinity : 100);

/** The highest soft threshold reached. */
function crossedOf(percent: number): 0 | BudgetThreshold {
  let crossed: 0 | BudgetThreshold = 0;
  for (const t of BUDGET_THRESHOLDS) if (percent >= t) crossed = t;
  return crossed;
}

/**
 * Budgets against the spend recorded in the `calls` rows: daily and monthly limits per provider,
 * group, model or overall. A spent limit drops the deployments it covers (`block`,
 * `fallback-local`) or only alerts (`warn`); 50/80/100% raise one alert each per period.
 */
export function createBudgetsService(deps: BudgetsDeps): BudgetsService {
  // Thresholds already announced, by `scope|period|periodStart|threshold`. Seeded silently from the
  // spend at start, so a restart does not repeat an alert of this period.
  const announced = new Set<string>();
  const spend = createSpendTracker(deps.spend, deps.clock, covers, deps.timing);

  function measure(limit: Limit, now: number, spentUsd: number) {
    const { start, end } = periodOf(limit.period, now);
    const percent = percentOf(spentUsd, limit.limitUsd);
    return { start, end, percent, crossed: crossedOf(percent) };
  }

  function sweep(announce: boolean, fresh: boolean): void {
    const now = deps.clock();
    for (const limit of limitsOf(deps.budgets())) {
      const { start } = periodOf(limit.period, now);
      const spentUsd = spend.spentUsd(limit.target, start, { fresh });
      const { percent } = measure(limit, now, spentUsd);
      for (const threshold of BUDGET_THRESHOLDS) {
        if (percent < threshold) break;
        const key = `${keyOf(limit)}|${start}|${threshold}`;
        if (announced.has(key)) continue;
        announced.add(key);
        if (announce) {
          deps.emit?.({ scope: limit.scope, period: limit.period, threshold, spentUsd, limitUsd: limit.limitUsd, action: limit.action, at: now });
        }
      }
    }
  }

  return {
    status() {
      const now = deps.clock();
      return {
        budgets: limitsOf(deps.budgets()).map((limit) => {
          const { start, end } = periodOf(limit.period, now);
          // What Settings shows is read now, not kept.
          const spentUsd = spend.spentUsd(limit.target, start, { fresh: true });
          const { percent, crossed } = measure(limit, now, spentUsd);
          return {
            scope: limit.scope,
            period: limit.period,
            limitUsd: limit.limitUsd,
            spentUsd,
            percent: Number.isFinite(percent) ? percent : 100,
            state: percent >= 100 ? 'exceeded' : percent >= 80 ? 'warning' : 'ok',
            crossed,
            action: limit.action,
            periodStart: start,
            resetsAt: end,
          };
        }),
      };
    },

    forRequest() {
      const limits = limitsOf(deps.budgets()).filter((l) => l.action !== 'warn');
      if (limits.length === 0) return () => 'ok';
      const now = deps.clock();
      const spent = new Map<string, boolean>();
      const isSpent = (limit: Limit): boolean => {
        const key = keyOf(limit);
        let over = spent.get(key);
        if (over === undefined) {
          over = spend.spentUsd(limit.target, periodOf(limit.period, now).start) >= limit.limitUsd;
          spent.set(key, over);
        }
        return over;
      };
      return (d) => {
        // Local models cost nothing: no spend limit is a reason to drop one.
        if (d.providerType === 'local') return 'ok';
        let verdict: BudgetVerdict = 'ok';
        for (const limit of limits) {
          if (!covers(limit.target, d) || !isSpent(limit)) continue;
          // Rerouting to a local model spends nothing, so it never defeats a limit that blocks.
          if (limit.action === 'fallback-local') return 'fallback-local';
          verdict = 'block';
        }
        return verdict;
      };
    },

    recorded(recorded) {
      spend.add(recorded);
      if (deps.budgets().length > 0) sweep(true, false);
    },
    prime() {
      if (deps.budgets().length > 0) sweep(false, true);
    },
  };
}
