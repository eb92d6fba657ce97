import type { UsageDashboard } from '../../../../shared/contract';
import { formatCount, formatDuration } from '../chat/format';
import { formatRate, formatUsd } from './chart-data';

/** Success rate, errors and the router's breaker per deployment. */
export function DeploymentsTable({ data }: { data: UsageDashboard }) {
  if (data.deployments.length === 0) return <p className="dash-empty">No calls in this range.</p>;
  return (
    <table className="dash-table" data-testid="dash-deployments">
      <thead>
        <tr>
          <th scope="col">Deployment</th>
          <th scope="col">Calls</th>
          <th scope="col">Success</th>
          <th scope="col">Errors</th>
          <th scope="col">p50 / p95</th>
          <th scope="col">TTFT p50</th>
          <th scope="col">Cost</th>
          <th scope="col">Breaker</th>
        </tr>
      </thead>
      <tbody>
        {data.deployments.map((d) => (
          <tr key={`${d.key}\u0000${d.provider}\u0000${d.model}`} data-testid="dash-deployment-row" data-key={d.key}>
            <th scope="row" title={`${d.provider} · ${d.model}`}>
              {d.key}
            </th>
            <td data-testid="dash-deployment-calls">{formatCount(d.calls)}</td>
            <td data-testid="dash-deployment-success">
              <span className="dash-rate">
                <span className="dash-rate__bar" style={{ width: `${Math.round((d.successRate ?? 0) * 100)}%` }} />
              </span>
              {formatRate(d.successRate)}
            </td>
            <td>{formatCount(d.errors)}</td>
            <td data-testid="dash-deployment-latency">
              {formatDuration(d.p50LatencyMs)} / {formatDuration(d.p95LatencyMs)}
            </td>
            <td>{formatDuration(d.p50TtftMs)}</td>
            <td>{formatUsd(d.costUsd)}</td>
            <td>
              {d.breaker === null ? (
                <span className="dash-muted" title="Not a router deployment, or the router has not used it since it started">
                  —
                </span>
              ) : (
                <span className={`dash-breaker dash-breaker--${d.breaker}`} data-testid="dash-breaker">
                  {d.breaker}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TopConversations({ data, onOpen }: { data: UsageDashboard; onOpen: (id: string) => void }) {
  if (data.topConversations.length === 0) return <p className="dash-empty">No conversations in this range.</p>;
  return (
    <table className="dash-table" data-testid="dash-top-conversations">
      <thead>
        <tr>
          <th scope="col">Conversation</th>
          <th scope="col">Calls</th>
          <th scope="col">Tokens in / out</th>
          <th scope="col">Cost</th>
        </tr>
      </thead>
      <tbody>
        {data.topConversations.map((c) => (
          <tr key={c.conversationId} data-testid="dash-conversation-row" data-conversation-id={c.conversationId}>
            <th scope="row">
              {c.title === null ? (
                <span className="dash-muted">deleted conversation</span>
              ) : (
                <button type="button" className="dash-link" onClick={() => onOpen(c.conversationId)}>
                  {c.title}
                </button>
              )}
            </th>
            <td>{formatCount(c.calls)}</td>
            <td>
              {formatCount(c.inputTokens)} / {formatCount(c.outputTokens)}
            </td>
            <td data-testid="dash-conversation-cost">{formatUsd(c.costUsd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
