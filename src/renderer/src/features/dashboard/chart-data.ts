import type { DeploymentUsage, SpendSeries, TokenKindsInfo, UsageBucket, UsageDashboard } from '../../../../shared/contract';

/** Colours for series, in stacking order; the last one is "other". */
export const PALETTE = ['#3b5bdb', '#f08c00', '#2b8a3e', '#c2255c', '#7048e8', '#1098ad', '#e8590c', '#5c940d', '#868e96'];
/** More series than this are summed into "other", so the legend stays readable. */
export const MAX_SERIES = PALETTE.length - 1;
export const OTHER = 'other';

export interface SpendChartData {
  /** One row per bucket: its label and the cost of each series key. */
  rows: Record<string, number | string>[];
  /** Series keys in stacking order (biggest first), with their colour. */
  series: { key: string; color: string; totalUsd: number }[];
}

export function spendChartData(data: UsageDashboard, by: 'provider' | 'model'): SpendChartData {
  const all: SpendSeries[] = by === 'provider' ? data.spend.byProvider : data.spend.byModel;
  const shown = all.length > MAX_SERIES + 1 ? all.slice(0, MAX_SERIES) : all;
  const rest = all.slice(shown.length);
  const rows = data.spend.starts.map((start, i) => {
    const row: Record<string, number | string> = { label: bucketLabel(start, data.bucket), start };
    for (const s of shown) row[s.key] = s.costUsd[i] ?? 0;
    if (rest.length > 0) row[OTHER] = rest.reduce((n, s) => n + (s.costUsd[i] ?? 0), 0);
    return row;
  });
  const series = shown.map((s, i) => ({ key: s.key, color: PALETTE[i] as string, totalUsd: s.totalUsd }));
  if (rest.length > 0) series.push({ key: OTHER, color: PALETTE[PALETTE.length - 1] as string, totalUsd: rest.reduce((n, s) => n + s.totalUsd, 0) });
  return { rows, series };
}

/** "14:00" for hours, "3 Nov" for days and weeks (a week by its first day). */
export function bucketLabel(start: number, bucket: UsageBucket): string {
  const d = new Date(start);
  if (bucket === 'hour') return `${String(d.getHours()).padStart(2, '0')}:00`;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

export const TOKEN_KINDS: { key: keyof TokenKindsInfo; label: string; color: string }[] = [
  { key: 'inputNoCache', label: 'Input', color: '#3b5bdb' },
  { key: 'cacheRead', label: 'Cache read', color: '#1098ad' },
  { key: 'cacheWrite', label: 'Cache write', color: '#7048e8' },
  { key: 'outputText', label: 'Output', color: '#f08c00' },
  { key: 'reasoning', label: 'Reasoning', color: '#c2255c' },
];

export function tokenRows(tokens: TokenKindsInfo): { key: string; label: string; tokens: number; color: string }[] {
  return TOKEN_KINDS.map((k) => ({ key: k.key, label: k.label, tokens: tokens[k.key], color: k.color }));
}

export interface LatencyRow {
  key: string;
  p50: number | null;
  p95: number | null;
  ttft50: number | null;
  ttft95: number | null;
}

/** Deployments with a measured latency, most used first. */
export function latencyRows(deployments: readonly DeploymentUsage[]): LatencyRow[] {
  return deployments
    .filter((d) => d.p50LatencyMs !== null)
    .map((d) => ({ key: d.key, p50: d.p50LatencyMs, p95: d.p95LatencyMs, ttft50: d.p50TtftMs, ttft95: d.p95TtftMs }));
}

/** "$12.34", "$0.0123", "<$0.0001", "$0". */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 1) return `$${usd.toFixed(3)}`;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** "98.5%", or "—" when unknown. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)}%`;
}

/** "1.2k", "3.4M": axis ticks. */
export function compact(n: number): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}
