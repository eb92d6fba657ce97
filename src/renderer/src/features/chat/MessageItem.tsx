import { memo } from 'react';
import { useChat } from '../../stores/context';
import { MessageMeta } from './MessageMeta';
import { modelLabel } from './format';

/**
 * One message, subscribed to its own entry: a streamed token re-renders this message only,
 * never the list around it.
 */
export const MessageItem = memo(function MessageItem({ id }: { id: string }) {
  const message = useChat((s) => s.messages[id]);
  if (message === undefined) return null;
  const assistant = message.role === 'assistant';
  const streaming = message.status === 'streaming';

  return (
    <article
      className={`message message--${message.role}`}
      data-testid={assistant ? 'assistant-message' : 'user-message'}
      data-message-id={message.id}
      data-status={message.status}
      aria-busy={streaming}
      aria-label={assistant ? `Answer from ${modelLabel(message.model)}` : 'You'}
    >
      <header className="message__author">{assistant ? modelLabel(message.model) : 'You'}</header>
      {message.reasoning !== '' && (
        <details className="message__reasoning">
          <summary>Reasoning</summary>
          <p>{message.reasoning}</p>
        </details>
      )}
      <div className="message__text" data-testid="message-text">
        {message.text}
      </div>
      {streaming && message.text === '' && (
        <p className="message__waiting" aria-live="polite">
          Thinking…
        </p>
      )}
      {message.error !== null && (
        <p className="message__error" role="alert" data-testid="message-error">
          <strong>{message.error.kind.replace(/_/g, ' ')}:</strong> {message.error.message}
        </p>
      )}
      {message.status === 'aborted' && (
        <p className="message__note" data-testid="message-stopped">
          Stopped
        </p>
      )}
      {assistant && !streaming && <MessageMeta message={message} />}
    </article>
  );
});
