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
