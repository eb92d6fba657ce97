import { useDeferredValue } from 'react';
import type { MessageView } from '../../stores/message-view';
import { MessageMeta } from '../chat/MessageMeta';
import { CopyButton } from '../chat/markdown/CodeBlock';
import { Markdown } from '../chat/markdown/Markdown';
import { summarizeRoute } from '../chat/route-summary';

/**
 * One model's answer: streamed markdown (the chat's renderer), then the chat's route line
 * (deployment, fallbacks, tokens by kind, cost, latency, TTFT). Its own stop; "continue in chat".
 */
export function CompareColumn({
  index,
  view,
  onStop,
  onContinue,
}: {
  index: number;
  view: MessageView;
  onStop: () => void;
  onContinue: () => void;
}) {
  const text = useDeferredValue(view.text, '');
  const streaming = view.status === 'streaming';
  const live = summarizeRoute(view.route, view.attempts);
  return (
    <article className="compare__column" data-testid="compare-column" data-column={index} data-status={view.status} aria-busy={streaming}>
      {streaming && live.servedBy !== null && (
        <p className="compare__live-route" data-testid="compare-live-route">
          via {live.servedBy}
          {live.failures.length > 0 && ` after ${live.failures.join(', ')}`}
        </p>
      )}
      {view.reasoning !== '' && (
        <details className="message__reasoning">
          <summary>{streaming && view.text === '' ? 'Thinking…' : `Thought for ${view.reasoning.length.toLocaleString('en-US')} characters`}</summary>
          <p>{view.reasoning}</p>
        </details>
      )}
      <div className="message__text compare__text" data-testid="compare-text">
        <Markdown text={text} streaming={streaming} />
      </div>
      {streaming && view.text === '' && view.reasoning === '' && (
        <p className="message__waiting" aria-live="polite">
          Waiting for the first token…
        </p>
      )}
      {view.error !== null && (
        <p className="message__error" role="alert" data-testid="compare-error">
          <strong>{view.error.kind.replace(/_/g, ' ')}:</strong> {view.error.message}
        </p>
      )}
      {view.status === 'aborted' && (
        <p className="message__note" data-testid="compare-stopped">
          Stopped
        </p>
      )}
      {!streaming && <MessageMeta message={view} />}
      <div className="compare__actions">
        {streaming ? (
          <button type="button" className="button button--small" data-testid="compare-stop-column" onClick={onStop}>
            Stop
          </button>
        ) : (
          <>
            {view.text !== '' && <CopyButton text={view.text} />}
            {view.text !== '' && (
              <button type="button" className="button button--small" data-testid="compare-continue" onClick={onContinue}>
                Continue in chat
              </button>
            )}
          </>
        )}
      </div>
    </article>
  );
}
