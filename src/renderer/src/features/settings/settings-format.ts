import type { BudgetStatus, SettingsBudget, SettingsGroup } from '../../../../shared/contract';

/** Pure helpers of the settings page: form text ↔ contract values. */

export type Deployment = SettingsGroup['deployments'][number];

/** One deployment per line: `provider/model` or `provider/model weight`. Returns the deployments or why a line is wrong. */
export function parseDeployments(text: string): { ok: true; deployments: Deployment[] } | { ok: false; message: string } {
  const deployments: Deployment[] = [];
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return { ok: false, message: 'a group needs at least one deployment: one provider/model per line' };
  for (const [i, line] of lines.entries()) {
    const [ref = '', weight, ...rest] = line.split(/\s+/);
    const slash = ref.indexOf('/');
    if (slash <= 0 || slash === ref.length - 1 || rest.length > 0) return { ok: false, message: `line ${i + 1}: write provider/model, optionally followed by a weight (e.g. openai/gpt-4o-mini 2)` };
    const deployment: Deployment = { provider: ref.slice(0, slash), model: ref.slice(slash + 1) };
    if (weight !== undefined) {
      const n = Number(weight);
      if (!Number.isFinite(n) || n < 0) return { ok: false, message: `line ${i + 1}: the weight "${weight}" is not a number of 0 or more` };
      deployment.weight = n;
    }
    deployments.push(deployment);
  }
  return { ok: true, deployments };
}

export function formatDeployments(deployments: readonly Deployment[]): string {
  return deployments.map((d) => `${d.provider}/${d.model}${d.weight !== undefined ? ` ${d.weight}` : ''}`).join('\n');
}

/** A comma- or space-separated list, empty items dropped. */
export function parseList(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s !== '');
}

/** An amount field: '' is "no limit" (null); otherwise a number of 0 or more, or why not. */
export function parseAmount(text: string): { ok: true; value: number | null } | { ok: false; message: string } {
  const t = text.trim().replace(/^\$/, '');
  if (t === '') return { ok: true, value: null };
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 ? { ok: true, value: n } : { ok: false, message: `"${text}" is not an amount in USD` };
}

/** The status of one budget's period, if the host reported it. */
export function statusOf(statuses: readonly BudgetStatus[], budget: Pick<SettingsBudget, 'scope'>, period: 'daily' | 'monthly'): BudgetStatus | undefined {
  return statuses.find((s) => s.scope === budget.scope && s.period === period);
}

export const usd = (n: number) => `$${n.toFixed(2)}`;

/** `$1.20 of $5.00` (or `— of $5.00` while the spend is unknown). */
export function spentOf(limit: number, status: BudgetStatus | undefined): string {
  return `${status === undefined ? '—' : usd(status.spentUsd)} of ${usd(limit)}`;
}

/** `auto`, or a whole number, or null for '' (the default); undefined when the text is neither. */
export function parseAutoInt(text: string, extra: readonly string[] = []): number | string | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  if (t === 'auto' || extra.includes(t)) return t;
  return /^\d+$/.test(t) ? Number(t) : undefined;
}
