import type { MessageView } from '../../stores/message-view';
import { formatCost, formatDuration, formatTokenKinds, formatUsage, modelLabel, tokensPerSecond } from './format';
import { routeUsage, summarizeRoute } from './route-summary';

/**
 * Under a finished answer: the deployment that served it and any failed attempts or fallbacks
 * before it, tokens (by kind when known), cost, latency and time to first token, speed.
 */
export function MessageMeta({ message }: { message: MessageView }) {
  const route = summarizeRoute(message.route, message.attempts);
  // The stored route has the serving attempt's tokens by kind; the finish part may have totals only.
  const usage = message.usage ?? (message.route === null ? null : routeUsage(message.route));
  const kinds = formatTokenKinds(usage) || (message.route === null ? '' : formatTokenKinds(routeUsage(message.route)));
  const speed = tokensPerSecond(usage, message.latencyMs, message.ttftMs);
  const ttft = message.ttftMs ?? message.route?.ttftMs ?? null;
  return (
    <dl className="message__meta" data-testid="message-meta">
      <div>
        <dt className="visually-hidden">Model</dt>
        <dd data-testid="meta-model" title={message.model ?? undefined}>
          {modelLabel(message.model)}
        </dd>
      </div>
      {route.servedBy !== null && route.servedBy !== message.model && (
        <div>
          <dt className="visually-hidden">Served by</dt>
          <dd data-testid="meta-route">
            via {route.servedBy}
            {route.cached && ' (cached)'}
          </dd>
        </div>
      )}
      {(route.failures.length > 0 || route.fallbacks > 0) && (
        <div>
          <dt className="visually-hidden">Fallbacks</dt>
          <dd data-testid="meta-fallbacks" title={route.failures.join('\n')}>
            {route.fallbacks > 0 ? `${route.fallbacks} fallback${route.fallbacks === 1 ? '' : 's'}` : 'retried'}
            {route.failures.length > 0 && <span className="message__meta-soft"> after {route.failures.join(', ')}</span>}
          </dd>
        </div>
      )}
      <div>
        <dt className="visually-hidden">Tokens</dt>
        <dd data-testid="meta-tokens">{formatUsage(usage)}</dd>
      </div>
      {kinds !== '' && (
        <div>
          <dt className="visually-hidden">Tokens by kind</dt>
          <dd data-testid="meta-token-kinds" className="message__meta-soft">
            ({kinds})
          </dd>
        </div>
      )}
      {route.costUsd !== undefined && (
        <div>
          <dt className="visually-hidden">Cost</dt>
          <dd data-testid="meta-cost">{formatCost(route.costUsd)}</dd>
        </div>
      )}
      <div>
        <dt className="visually-hidden">Latency</dt>
        <dd data-testid="meta-latency">
          {formatDuration(message.latencyMs ?? message.route?.latencyMs ?? null)}
          {ttft !== null && <span className="message__meta-soft"> (first token {formatDuration(ttft)})</span>}
        </dd>
      </div>
      {speed !== null && (
        <div>
          <dt className="visually-hidden">Speed</dt>
          <dd>{speed.toFixed(speed < 10 ? 1 : 0)} tok/s</dd>
        </div>
      )}
    </dl>
  );
}
