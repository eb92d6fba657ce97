import type { MessageView } from '../../stores/message-view';
import { formatDuration, formatUsage, modelLabel, tokensPerSecond } from './format';

/** Model, tokens and timing under a finished answer. */
export function MessageMeta({ message }: { message: MessageView }) {
  const speed = tokensPerSecond(message.usage, message.latencyMs, message.ttftMs);
  return (
    <dl className="message__meta" data-testid="message-meta">
      <div>
        <dt className="visually-hidden">Model</dt>
        <dd data-testid="meta-model" title={message.model ?? undefined}>
          {modelLabel(message.model)}
        </dd>
      </div>
      <div>
        <dt className="visually-hidden">Tokens</dt>
        <dd data-testid="meta-tokens">{formatUsage(message.usage)}</dd>
      </div>
      <div>
        <dt className="visually-hidden">Latency</dt>
        <dd data-testid="meta-latency">
          {formatDuration(message.latencyMs)}
          {message.ttftMs !== null && <span className="message__meta-soft"> (first token {formatDuration(message.ttftMs)})</span>}
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
