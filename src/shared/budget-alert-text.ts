import type { BudgetAlert } from './contract/budgets';

/**
 * The words of a budget alert, one function for both places it is shown: Electron's OS
 * notification (src/main) and the browser's in-app toast (the renderer). No zod: the renderer
 * imports it as a value.
 */
export interface BudgetAlertText {
  title: string;
  body: string;
  /** A 100% alert: shown as an error, not a warning. */
  exceeded: boolean;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

export function budgetScopeLabel(scope: string): string {
  if (scope === 'global') return 'all spend';
  const colon = scope.indexOf(':');
  return colon > 0 ? `${scope.slice(0, colon)} ${scope.slice(colon + 1)}` : scope;
}

export function budgetAlertText(alert: Pick<BudgetAlert, 'scope' | 'period' | 'threshold' | 'spentUsd' | 'limitUsd' | 'action'>): BudgetAlertText {
  const exceeded = alert.threshold >= 100;
  const scope = budgetScopeLabel(alert.scope);
  const period = alert.period === 'daily' ? 'today' : 'this month';
  const title = exceeded ? `Budget reached: ${scope}` : `Budget ${alert.threshold}% used: ${scope}`;
  const then = {
    block: exceeded ? 'New requests are refused until it resets.' : 'At 100%, new requests are refused.',
    'fallback-local': exceeded ? 'Requests now go to a local model.' : 'At 100%, requests go to a local model.',
    warn: exceeded ? 'Requests continue (this budget only warns).' : 'At 100%, requests continue (it only warns).',
  }[alert.action];
  return { title, body: `${usd(alert.spentUsd)} of ${usd(alert.limitUsd)} ${period}. ${then}`, exceeded };
}
