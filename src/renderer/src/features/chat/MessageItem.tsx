import { memo, useDeferredValue, useState } from 'react';
import { useChat, useModels } from '../../stores/context';
import type { MessageView } from '../../stores/message-view';
import { AttachmentThumbs } from './AttachmentThumbs';
import { CopyButton } from './markdown/CodeBlock';
import { Markdown } from './markdown/Markdown';
import { Thinking, ToolCalls } from './MessageExtras';
import { MessageMeta } from './MessageMeta';
import { modelLabel } from './format';

/**
 * One message, subscribed to its own entry: a streamed token re-renders this message only,
 * never the list around it.
 */
export const MessageItem = memo(function MessageItem({ id }: { id: string }) {
  const message = useChat((s) => s.messages[id]);
  const [editing, setEditing] = useState(false);
  // Markdown renders at a lower priority than input: React may skip or interrupt a render of an
  // answer that has already grown again, so typing and scrolling stay responsive while it streams.
  // Mounting starts from '' too, so opening a long conversation paints its frame first and fills
  // the answers in, one interruptible render at a time.
  const text = useDeferredValue(message?.text ?? '', '');
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
      <AttachmentThumbs attachments={message.attachments} />
      {message.reasoning !== '' && <Thinking text={message.reasoning} streaming={streaming && message.text === ''} />}
      {editing ? (
        <EditQuestion message={message} onDone={() => setEditing(false)} />
      ) : (
        <div className="message__text" data-testid="message-text">
          {assistant ? <Markdown text={text} streaming={streaming} /> : message.text}
        </div>
      )}
      {message.toolCalls.length > 0 && <ToolCalls calls={message.toolCalls} />}
      {streaming && message.text === '' && message.reasoning === '' && (
        <p className="message__waiting" aria-live="polite">
          Thinking…
        </p>
      )}
      {message.warnings.map((warning) => (
        <p key={warning} className="message__warning" data-testid="message-warning">
          {warning}
        </p>
      ))}
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
      {!streaming && !editing && <MessageActions message={message} onEdit={() => setEditing(true)} />}
    </article>
  );
});

function MessageActions({ message, onEdit }: { message: MessageView; onEdit: () => void }) {
  const busy = useChat((s) => s.streaming !== null);
  const last = useChat((s) => s.messageIds[s.messageIds.length - 1] === message.id);
  const stored = useChat((s) => s.conversationId !== null) && !message.id.startsWith('pending-');
  const regenerate = useChat((s) => s.regenerate);
  const model = useModels((s) => s.selectedId);
  const assistant = message.role === 'assistant';
  return (
    <div className="message__actions">
      {message.text !== '' && <CopyButton text={message.text} />}
      {assistant && last && stored && (
        <button
          type="button"
          className="icon-button"
          data-testid="regenerate"
          disabled={busy || model === null}
          title={model === null ? 'Pick a model first' : `Ask again with ${modelLabel(model)}`}
          onClick={() => model !== null && void regenerate(message.id, { model })}
        >
          Regenerate
        </button>
      )}
      {!assistant && stored && (
        <button type="button" className="icon-button" data-testid="edit-message" disabled={busy} onClick={onEdit}>
          Edit
        </button>
      )}
    </div>
  );
}

/** Edit-and-resend: the question and everything after it are replaced by the edited one. */
function EditQuestion({ message, onDone }: { message: MessageView; onDone: () => void }) {
  const [text, setText] = useState(message.text);
  const model = useModels((s) => s.selectedId);
  const editAndResend = useChat((s) => s.editAndResend);
  const busy = useChat((s) => s.streaming !== null);
  const canSend = !busy && model !== null && (text.trim() !== '' || message.attachments.length > 0);
  const submit = () => {
    if (!canSend || model === null) return;
    onDone();
    void editAndResend(message.id, { text, model, attachments: message.attachments });
  };
  return (
    <form
      className="message__edit"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <textarea
        className="message__edit-input"
        data-testid="edit-input"
        aria-label="Edit your message"
        value={text}
        autoFocus
        rows={Math.min(10, text.split('\n').length + 1)}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            submit();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            onDone();
          }
        }}
      />
      <p className="message__edit-hint">Sending replaces this message and everything after it.</p>
      <div className="message__edit-bar">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" data-testid="edit-send" disabled={!canSend}>
          Send
        </button>
      </div>
    </form>
  );
}
