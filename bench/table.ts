import type { BenchResult } from './types';

export type RowOutcome = { name: string; result: BenchResult } | { name: string; error: string };

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** Renders the outcomes as a plain-text table: row, ours, reference, ratio, target, verdict. */
export function renderTable(outcomes: readonly RowOutcome[]): string {
  const header = ['row', 'ours', 'reference', 'ratio', 'target', 'verdict'];
  const rows = outcomes.map((o) =>
    'error' in o
      ? [o.name, '-', '-', '-', '-', `ERROR: ${o.error}`]
      : [
          o.name,
          `${formatNumber(o.result.ours)} ${o.result.unit}`,
          `${formatNumber(o.result.reference)} ${o.result.unit}`,
          `${o.result.ratio.toFixed(3)}×`,
          o.result.target,
          (o.result.pass ? 'PASS' : 'FAIL') + (o.result.note ? ` (${o.result.note})` : ''),
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
