import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TokenKindsInfo, UsageDashboard } from '../../../../shared/contract';
import { formatCount, formatDuration } from '../chat/format';
import { compact, formatUsd, latencyRows, spendChartData, tokenRows } from './chart-data';

const AXIS = { fontSize: 11, fill: 'var(--text-soft)' };
const TOOLTIP_STYLE = { background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 };
/** Animations delay the numbers a test or a screenshot reads, and say nothing. */
const STILL = { isAnimationActive: false } as const;

/** Spend per bucket, stacked by provider or by model; the tooltip lists each stack's dollars. */
export function SpendChart({ data, by }: { data: UsageDashboard; by: 'provider' | 'model' }) {
  const chart = spendChartData(data, by);
  return (
    <div className="dash-chart" data-testid="chart-spend" data-series={chart.series.map((s) => s.key).join(' ')}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={chart.rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" tick={AXIS} interval="preserveStartEnd" minTickGap={16} />
          <YAxis tick={AXIS} tickFormatter={(v: number) => (v === 0 ? '$0' : v < 10 ? `$${v.toFixed(2)}` : `$${compact(v)}`)} width={56} />
          <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => formatUsd(Number(v))} cursor={{ fill: 'var(--surface-2)' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {chart.series.map((s) => (
            <Bar key={s.key} dataKey={s.key} stackId="spend" fill={s.color} name={`${s.key} · ${formatUsd(s.totalUsd)}`} {...STILL} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Tokens by kind, each bar labelled with its count. */
export function TokensChart({ tokens }: { tokens: TokenKindsInfo }) {
  const rows = tokenRows(tokens);
  return (
    <div className="dash-chart" data-testid="chart-tokens">
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 64, bottom: 4, left: 8 }}>
          <XAxis type="number" hide />
          <YAxis type="category" dataKey="label" tick={AXIS} width={84} />
          <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => formatCount(Number(v))} cursor={{ fill: 'var(--surface-2)' }} />
          <Bar dataKey="tokens" name="tokens" {...STILL}>
            {rows.map((r) => (
              <Cell key={r.key} fill={r.color} />
            ))}
            <LabelList dataKey="tokens" position="right" formatter={(v) => formatCount(Number(v))} className="dash-label" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <table className="visually-hidden">
        <caption>Tokens by kind</caption>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td data-testid={`dash-tokens-${r.key}`} data-value={r.tokens}>
                {formatCount(r.tokens)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** p50 and p95 latency and time to first token per deployment, labelled in ms. */
export function LatencyChart({ data }: { data: UsageDashboard }) {
  const rows = latencyRows(data.deployments);
  if (rows.length === 0) return <p className="dash-empty">No successful calls in this range.</p>;
  const label = (v: unknown) => (v === null || v === undefined ? '' : formatDuration(Number(v)));
  return (
    <div className="dash-chart" data-testid="chart-latency">
      <ResponsiveContainer width="100%" height={Math.max(160, 60 + rows.length * 56)}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 72, bottom: 4, left: 8 }} barGap={1}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--border)" />
          <XAxis type="number" tick={AXIS} tickFormatter={(v: number) => formatDuration(v)} />
          <YAxis type="category" dataKey="key" tick={AXIS} width={170} tickFormatter={(v: string) => (v.length > 26 ? `${v.slice(0, 25)}…` : v)} />
          <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => label(v)} cursor={{ fill: 'var(--surface-2)' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="ttft50" name="TTFT p50" fill="#74c0fc" {...STILL}>
            <LabelList dataKey="ttft50" position="right" formatter={label} className="dash-label" />
          </Bar>
          <Bar dataKey="p50" name="latency p50" fill="#3b5bdb" {...STILL}>
            <LabelList dataKey="p50" position="right" formatter={label} className="dash-label" />
          </Bar>
          <Bar dataKey="p95" name="latency p95" fill="#1c2f7a" {...STILL}>
            <LabelList dataKey="p95" position="right" formatter={label} className="dash-label" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
