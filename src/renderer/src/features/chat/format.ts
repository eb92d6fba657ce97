import type { Usage } from '../../../../shared/llm';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Token counts; unknown stays visibly unknown rather than 0. */
export function formatCount(value: number | undefined | null): string {
  return value === undefined || value === null ? '—' : integer.format(value);
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "12 in · 240 out" */
export function formatUsage(usage: Usage | null): string {
  if (usage === null) return 'tokens unknown';
  return `${formatCount(usage.inputTokens.total)} in · ${formatCount(usage.outputTokens.total)} out`;
}

/** Output speed, when both the count and the time after the first token are known. */
export function tokensPerSecond(usage: Usage | null, latencyMs: number | null, ttftMs: number | null): number | null {
  const out = usage?.outputTokens.total;
  if (out === undefined || out < 2 || latencyMs === null) return null;
  const generating = latencyMs - (ttftMs ?? 0);
  return generating > 0 ? ((out - 1) * 1000) / generating : null;
}

/** The model id without its provider prefix, for tight spaces. */
export function shortModelName(model: string | null): string {
  if (model === null) return 'unknown model';
  const slash = model.indexOf('/');
  return slash === -1 ? model : model.slice(slash + 1);
}

/** "14:05" today, "3 Nov" this year, "3 Nov 2025" before. */
export function formatWhen(epochMs: number, now: number = Date.now()): string {
  const date = new Date(epochMs);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  }
  const sameYear = date.getFullYear() === today.getFullYear();
  return date.toLocaleDateString(undefined, sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' });
}

/** How an answer names its model: a local file by its name (`tiny`), a provider's model by its ref (`try/mock-1`). */
export function modelLabel(model: string | null): string {
  if (model === null) return 'unknown model';
  return model.startsWith('local/') ? model.slice('local/'.length) : model;
}

/**
 * Tokens by kind, where the provider said: "1,000 cached · 24 cache write · 180 reasoning".
 * Empty when it gave totals only (unknown kinds are left out, never shown as 0).
 */
export function formatTokenKinds(usage: Usage | null): string {
  if (usage === null) return '';
  const parts: string[] = [];
  const { noCache, cacheRead, cacheWrite } = usage.inputTokens;
  const { text, reasoning } = usage.outputTokens;
  if (cacheRead !== undefined && cacheRead > 0) parts.push(`${formatCount(cacheRead)} cached`);
  if (cacheWrite !== undefined && cacheWrite > 0) parts.push(`${formatCount(cacheWrite)} cache write`);
  if (parts.length > 0 && noCache !== undefined) parts.unshift(`${formatCount(noCache)} uncached`);
  if (reasoning !== undefined && reasoning > 0) parts.push(`${formatCount(reasoning)} reasoning${text === undefined ? '' : ` · ${formatCount(text)} text`}`);
  return parts.join(' · ');
}

/** USD: "$0.0123", "<$0.0001", "$0 (local)" for free calls; "cost unknown" when no price is known. */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return 'cost unknown';
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  return `$${usd < 0.01 ? usd.toFixed(4) : usd < 1 ? usd.toFixed(3) : usd.toFixed(2)}`;
}
