import { useState } from 'react';
import type { SettingsBudget } from '../../../../shared/contract';
import { useSettings } from '../../stores/context';
import { FormActions, FormField, FormProblem } from './FormField';
import { SectionError } from './SectionError';
import { parseAmount, spentOf, statusOf } from './settings-format';

type BudgetAction = NonNullable<SettingsBudget['onExceeded']>;
// a value list here: the renderer imports contract types only (no zod in the bundle)
const BUDGET_ACTIONS: readonly BudgetAction[] = ['block', 'fallback-local', 'warn'];
const ACTION_LABELS: Record<BudgetAction, string> = {
  block: 'refuse requests',
  'fallback-local': 'use a local model',
  warn: 'only warn',
};
const SCOPE_KINDS = ['global', 'provider', 'group', 'model'] as const;

/** Daily and monthly budgets per scope, stored in switchboard.yaml, with this period's spend. */
export function BudgetsSection() {
  const view = useSettings((s) => s.view);
  const statuses = useSettings((s) => s.budgets);
  const removeBudget = useSettings((s) => s.removeBudget);
  const [editing, setEditing] = useState<{ budget: SettingsBudget | null } | null>(null);
  if (view === null) return null;

  const limit = (budget: SettingsBudget, period: 'daily' | 'monthly') => {
    const amount = budget[period];
    if (amount === null) return <span className="settings-soft">—</span>;
    const status = statusOf(statuses, budget, period);
    const percent = status === undefined ? 0 : Math.min(100, status.percent);
    return (
      <div className="budget-meter" data-testid={`budget-${period}`} data-state={status?.state ?? 'unknown'}>
        <span>{spentOf(amount, status)}</span>
        <span className="budget-meter__bar" aria-hidden="true">
          <span className="budget-meter__fill" style={{ width: `${percent}%` }} />
        </span>
      </div>
    );
  };

  return (
    <section className="settings-section" aria-labelledby="settings-budgets" data-testid="settings-budgets">
      <header className="settings-section__head">
        <h3 id="settings-budgets">Budgets</h3>
        <button type="button" className="button" data-testid="budget-add" onClick={() => setEditing({ budget: null })} disabled={editing !== null}>
          Add budget
        </button>
      </header>
      <p className="settings-note">Alerts at 50%, 80% and 100% of each limit. Days start at local midnight, months on the 1st.</p>
      <SectionError section="budgets" />
      {editing !== null && <BudgetForm budget={editing.budget} onDone={() => setEditing(null)} />}
      {view.budgets.length === 0 ? (
        <p className="settings-soft">No budgets: spend is recorded but not limited.</p>
      ) : (
        <table className="settings-table">
          <thead>
            <tr>
              <th>Scope</th>
              <th>Daily</th>
              <th>Monthly</th>
              <th>At 100%</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {view.budgets.map((b) => (
              <tr key={b.scope} data-testid="budget-row" data-scope={b.scope}>
                <td>
                  <code>{b.scope}</code>
                </td>
                <td>{limit(b, 'daily')}</td>
                <td>{limit(b, 'monthly')}</td>
                <td>{ACTION_LABELS[b.onExceeded ?? 'block']}</td>
                <td className="settings-table__actions">
                  <button type="button" className="button button--small" onClick={() => setEditing({ budget: b })} disabled={editing !== null}>
                    Edit
                  </button>
                  <button type="button" className="button button--small button--danger" data-testid="budget-remove" onClick={() => void removeBudget(b.scope)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function BudgetForm(props: { budget: SettingsBudget | null; onDone: () => void }) {
  const view = useSettings((s) => s.view);
  const saveBudget = useSettings((s) => s.saveBudget);
  const saving = useSettings((s) => s.saving);
  const existing = props.budget;
  const colon = existing?.scope.indexOf(':') ?? -1;
  const [kind, setKind] = useState<(typeof SCOPE_KINDS)[number]>(
    existing === null ? 'global' : colon > 0 ? (existing.scope.slice(0, colon) as (typeof SCOPE_KINDS)[number]) : 'global',
  );
  const [target, setTarget] = useState(existing !== null && colon > 0 ? existing.scope.slice(colon + 1) : '');
  const [daily, setDaily] = useState(existing?.daily === null || existing === null ? '' : String(existing.daily));
  const [monthly, setMonthly] = useState(existing?.monthly === null || existing === null ? '' : String(existing.monthly));
  const [action, setAction] = useState<BudgetAction>(existing?.onExceeded ?? 'block');
  const [problem, setProblem] = useState<string | null>(null);
  const targets = kind === 'provider' ? (view?.providers.map((p) => p.name) ?? []) : kind === 'group' ? (view?.groups.map((g) => g.name) ?? []) : [];

  const submit = async () => {
    const d = parseAmount(daily);
    const m = parseAmount(monthly);
    if (!d.ok) return setProblem(`Daily: ${d.message}`);
    if (!m.ok) return setProblem(`Monthly: ${m.message}`);
    if (d.value === null && m.value === null) return setProblem('Set a daily or a monthly limit (or both).');
    if (kind !== 'global' && target.trim() === '') return setProblem(`Choose the ${kind} this budget is for.`);
    setProblem(null);
    const scope = kind === 'global' ? 'global' : `${kind}:${target.trim()}`;
    const ok = await saveBudget({ scope, daily: d.value, monthly: m.value, onExceeded: action });
    if (ok) props.onDone();
  };

  return (
    <form
      className="settings-form"
      data-testid="budget-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="settings-grid">
        <FormField label="Scope">
          <select data-testid="budget-scope-kind" value={kind} onChange={(e) => setKind(e.target.value as (typeof SCOPE_KINDS)[number])} disabled={existing !== null}>
            {SCOPE_KINDS.map((k) => (
              <option key={k} value={k}>
                {k === 'global' ? 'all spend' : k}
              </option>
            ))}
          </select>
        </FormField>
        {kind !== 'global' && (
          <FormField label={kind === 'model' ? 'Model (provider/model)' : kind === 'provider' ? 'Provider' : 'Group'}>
            {targets.length > 0 ? (
              <select data-testid="budget-scope-target" value={target} onChange={(e) => setTarget(e.target.value)} disabled={existing !== null}>
                <option value="">Choose…</option>
                {targets.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            ) : (
              <input data-testid="budget-scope-target" value={target} onChange={(e) => setTarget(e.target.value)} disabled={existing !== null} />
            )}
          </FormField>
        )}
        <FormField label="Daily limit (USD)">
          <input data-testid="budget-daily" inputMode="decimal" value={daily} onChange={(e) => setDaily(e.target.value)} placeholder="none" />
        </FormField>
        <FormField label="Monthly limit (USD)">
          <input data-testid="budget-monthly" inputMode="decimal" value={monthly} onChange={(e) => setMonthly(e.target.value)} placeholder="none" />
        </FormField>
        <FormField label="At 100%">
          <select data-testid="budget-action" value={action} onChange={(e) => setAction(e.target.value as BudgetAction)}>
            {BUDGET_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a]}
              </option>
            ))}
          </select>
        </FormField>
      </div>
      <FormProblem problem={problem} />
      <FormActions saveTestId="budget-save" disabled={saving} onCancel={props.onDone} />
    </form>
  );
}
