import { useEffect, useState } from 'react';
import { useChat, useDashboard } from '../../stores/context';
import type { RangePreset } from '../../stores/dashboard-store';
import { formatCount } from '../chat/format';
import { formatRate, formatUsd } from './chart-data';
import { LatencyChart, SpendChart, TokensChart } from './Charts';
import { ClearHistoryDialog } from './ClearHistoryDialog';
import { SavingsCard } from './SavingsCard';
import { DeploymentsTable, TopConversations } from './Tables';
import './dashboard.css';

const PRESETS: { id: RangePreset; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
  { id: 'custom', label: 'Custom' },
];

/**
 * The cost dashboard: spend over time by provider or model, tokens by kind, latency and TTFT,
 * success and breaker state per deployment, the costliest conversations, what local runs saved;
 * over a date range, with CSV export and clearing the history. Refreshed when shown and after
 * every finished chat while shown.
 */
export function DashboardView() {
  const data = useDashboard((s) => s.data);
  const status = useDashboard((s) => s.status);
  const error = useDashboard((s) => s.error);
  const notice = useDashboard((s) => s.notice);
  const preset = useDashboard((s) => s.preset);
  const customFrom = useDashboard((s) => s.customFrom);
  const customTo = useDashboard((s) => s.customTo);
  const spendBy = useDashboard((s) => s.spendBy);
  const show = useDashboard((s) => s.show);
  const hide = useDashboard((s) => s.hide);
  const setPreset = useDashboard((s) => s.setPreset);
  const setCustom = useDashboard((s) => s.setCustom);
  const setSpendBy = useDashboard((s) => s.setSpendBy);
  const exportCsv = useDashboard((s) => s.exportCsv);
  const openConversation = useChat((s) => s.open);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    show();
    return hide;
  }, [show, hide]);

  const download = async () => {
    const file = await exportCsv();
    if (file === null) return;
    const url = URL.createObjectURL(new Blob([file.csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.filename;
    a.click();
    // The click has started the download; the URL is not needed after this turn.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  const totals = data?.totals;
  return (
    <section className="page dash" data-testid="page-dashboard" aria-busy={status === 'loading'}>
      <header className="dash__head">
        <h2 className="page__title">Dashboard</h2>
        <div className="dash__range" role="group" aria-label="Date range">
          {PRESETS.map((p) => (
            <button
              key={p.id}
              type="button"
              className={`dash-chip${preset === p.id ? ' dash-chip--active' : ''}`}
              aria-pressed={preset === p.id}
              data-testid={`dash-range-${p.id}`}
              onClick={() => setPreset(p.id)}
            >
              {p.label}
            </button>
          ))}
          {preset === 'custom' && (
            <span className="dash__custom">
              <label>
                From <input type="date" data-testid="dash-from" value={customFrom} onChange={(e) => setCustom(e.target.value, customTo)} />
              </label>
              <label>
                To <input type="date" data-testid="dash-to" value={customTo} onChange={(e) => setCustom(customFrom, e.target.value)} />
              </label>
            </span>
          )}
        </div>
        <div className="dash__actions">
          <button type="button" className="button" data-testid="dash-export" onClick={() => void download()} disabled={data === null || data.totals.calls === 0}>
            Export CSV
          </button>
          <button type="button" className="button button--danger" data-testid="dash-clear" onClick={() => setConfirming(true)}>
            Clear usage history…
          </button>
        </div>
      </header>

      {error !== null && (
        <p className="dash-error" role="alert" data-testid="dash-error">
          {error}
        </p>
      )}
      {notice !== null && (
        <p className="dash-notice" role="status" data-testid="dash-notice">
          {notice}
        </p>
      )}

      <dl className="dash-stats" data-testid="dash-stats">
        <Stat label="Spend" testId="dash-total-cost" value={totals === undefined ? '—' : formatUsd(totals.costUsd)} raw={totals?.costUsd}
          hint={totals !== undefined && totals.uncostedCalls > 0 ? `${formatCount(totals.uncostedCalls)} calls without a known price` : undefined} />
        <Stat label="Calls" testId="dash-total-calls" value={formatCount(totals?.calls)} raw={totals?.calls} />
        <Stat label="Success" testId="dash-total-success"
          value={totals === undefined ? '—' : formatRate(totals.calls - totals.aborted > 0 ? totals.successes / (totals.calls - totals.aborted) : null)} />
        <Stat label="Tokens in" testId="dash-total-input" value={formatCount(totals?.inputTokens)} raw={totals?.inputTokens} />
        <Stat label="Tokens out" testId="dash-total-output" value={formatCount(totals?.outputTokens)} raw={totals?.outputTokens} />
      </dl>

      {data !== null && data.totals.calls === 0 && (
        <p className="dash-empty-range" data-testid="dash-empty">
          No calls in this range. Every call from chat, Compare, the CLI and the gateway shows up here once it ends: pick a wider range, or
          ask a model something.
        </p>
      )}

      {data !== null && (
        <div className="dash-grid">
          <article className="dash-card dash-card--wide">
            <header className="dash-card__head">
              <h3>Spend over time</h3>
              <div className="dash-toggle" role="group" aria-label="Stack spend by">
                {(['provider', 'model'] as const).map((by) => (
                  <button key={by} type="button" className={`dash-chip${spendBy === by ? ' dash-chip--active' : ''}`} aria-pressed={spendBy === by}
                    data-testid={`dash-spend-by-${by}`} onClick={() => setSpendBy(by)}>
                    by {by}
                  </button>
                ))}
              </div>
            </header>
            <SpendChart data={data} by={spendBy} />
          </article>

          <article className="dash-card">
            <h3>Tokens by kind</h3>
            <TokensChart tokens={data.tokens} />
          </article>

          <article className="dash-card">
            <h3>Local savings</h3>
            <SavingsCard data={data} />
          </article>

          <article className="dash-card dash-card--wide">
            <h3>Latency and time to first token</h3>
            <LatencyChart data={data} />
          </article>

          <article className="dash-card dash-card--wide">
            <h3>Deployments: success rate and breaker</h3>
            <DeploymentsTable data={data} />
          </article>

          <article className="dash-card dash-card--wide">
            <h3>Top conversations by cost</h3>
            <TopConversations
              data={data}
              onOpen={(id) => {
                void openConversation(id);
                window.location.hash = 'chat';
              }}
            />
          </article>
        </div>
      )}

      {confirming && <ClearHistoryDialog data={data} onClose={() => setConfirming(false)} />}
    </section>
  );
}

function Stat({ label, value, testId, raw, hint }: { label: string; value: string; testId: string; raw?: number | undefined; hint?: string | undefined }) {
  return (
    <div className="dash-stat">
      <dt>{label}</dt>
      <dd data-testid={testId} data-value={raw ?? ''} title={hint}>
        {value}
      </dd>
      {hint !== undefined && <span className="dash-stat__hint">{hint}</span>}
    </div>
  );
}
