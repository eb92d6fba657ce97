import { type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import { readyRefs } from '../../stores/composer-attachments-store';
import { useAssistants, useChat, useComposerAttachments, useModels } from '../../stores/context';
import { isUsable } from '../../stores/models-store';
import { DraftThumbs } from './DraftThumbs';
import { parseMaxTokens } from './max-tokens';
import { visionAdvice } from './vision';

/** Files in a drop or a paste (a pasted screenshot is a file too); text pastes are left to the textarea. */
const filesOf = (data: DataTransfer | null): File[] => (data === null ? [] : [...data.files]);

export function Composer() {
  const [text, setText] = useState('');
  const [maxTokens, setMaxTokens] = useState('');
  const [dragging, setDragging] = useState(false);
  const model = useModels((s) => s.selectedId);
  const items = useModels((s) => s.items);
  const select = useModels((s) => s.select);
  const streaming = useChat((s) => s.streaming);
  const send = useChat((s) => s.send);
  const conversationId = useChat((s) => s.conversationId);
  // A new conversation starts with the assistant chosen above the messages (an open one keeps its own).
  const draftAssistant = useAssistants((s) => s.draft);
  const stop = useChat((s) => s.stop);
  const drafts = useComposerAttachments((s) => s.drafts);
  const addFiles = useComposerAttachments((s) => s.add);
  const clearDrafts = useComposerAttachments((s) => s.clear);
  const input = useRef<HTMLTextAreaElement>(null);
  const ids = { text: useId(), max: useId(), hint: useId(), maxError: useId(), vision: useId() };

  const images = readyRefs(drafts);
  const preparing = drafts.some((d) => d.status === 'preparing');
  const advice = visionAdvice(model, items.filter(isUsable), images.length);
  const max = parseMaxTokens(maxTokens);
  const canSend =
    streaming === null && model !== null && (text.trim() !== '' || images.length > 0) && max.ok && !preparing && advice.kind !== 'no-vision';

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend || model === null || !max.ok) return;
    const prompt = text;
    setText('');
    clearDrafts();
    void send({
      text: prompt,
      model,
      ...(max.value === undefined ? {} : { maxOutputTokens: max.value }),
      ...(images.length === 0 ? {} : { attachments: images }),
      ...(conversationId === null && draftAssistant !== null ? { assistant: draftAssistant } : {}),
    });
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter is a newline; never while an IME is composing text
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape' && streaming !== null) {
      event.preventDefault();
      stop();
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation(); // the chat around it would attach the files again
    setDragging(false);
    const files = filesOf(event.dataTransfer);
    if (files.length > 0) void addFiles(files);
  };
  const onDragOver = (event: DragEvent) => {
    if (![...event.dataTransfer.types].includes('Files')) return;
    event.preventDefault(); // allows the drop
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const onPaste = (event: ClipboardEvent) => {
    const files = filesOf(event.clipboardData);
    if (files.length === 0) return;
    event.preventDefault();
    void addFiles(files);
  };

  return (
    <form
      className={`composer${dragging ? ' composer--dragging' : ''}`}
      onSubmit={submit}
      aria-label="Send a message"
      data-testid="composer-form"
      onDrop={onDrop}
      onDragOver={onDragOver}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
    >
      <DraftThumbs />
      {advice.kind !== 'ok' && (
        <div
          id={ids.vision}
          className={`composer__vision composer__vision--${advice.kind}`}
          role={advice.kind === 'no-vision' ? 'alert' : 'status'}
          data-testid="vision-warning"
          data-kind={advice.kind}
        >
          <span>
            {advice.kind === 'no-vision'
              ? `${advice.model} can’t see images, so they would not reach it. `
              : `${advice.model} may not accept images (nothing says it can). `}
            {advice.suggestion === null
              ? advice.kind === 'no-vision' && 'Pick a model with vision, or remove the images.'
              : null}
          </span>
          {advice.suggestion !== null && (
            <button
              type="button"
              className="button button--small"
              data-testid="use-vision-model"
              data-model-id={advice.suggestion.ref}
              onClick={() => advice.suggestion !== null && select(advice.suggestion.ref)}
            >
              Use {advice.suggestion.displayName}
            </button>
          )}
        </div>
      )}
      <label htmlFor={ids.text} className="visually-hidden">
        Message
      </label>
      <textarea
        id={ids.text}
        ref={input}
        className="composer__input"
        data-testid="composer"
        rows={1}
        value={text}
        placeholder={model === null ? 'Add a model to start chatting' : 'Message… (Enter to send, Shift+Enter for a new line; drop or paste images)'}
        aria-describedby={advice.kind === 'ok' ? ids.hint : `${ids.hint} ${ids.vision}`}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        autoFocus
      />
      <div className="composer__bar">
        <p id={ids.hint} className="composer__hint">
          {streaming !== null
            ? 'Generating… Esc or Stop to end it.'
            : preparing
              ? 'Preparing images…'
              : 'Enter to send · Shift+Enter for a new line · ? for shortcuts'}
        </p>
        <label className="composer__max" htmlFor={ids.max}>
          Max tokens
          <input
            id={ids.max}
            data-testid="max-tokens"
            inputMode="numeric"
            placeholder="default"
            value={maxTokens}
            aria-invalid={!max.ok}
            aria-describedby={max.ok ? undefined : ids.maxError}
            onChange={(event) => setMaxTokens(event.target.value)}
          />
        </label>
        {!max.ok && (
          <span id={ids.maxError} className="composer__max-error" role="alert">
            {max.message}
          </span>
        )}
        {streaming !== null ? (
          <button
            type="button"
            className="button button--danger"
            data-testid="stop"
            onClick={stop}
            disabled={streaming.stopping}
          >
            {streaming.stopping ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button type="submit" className="button button--primary" data-testid="send" disabled={!canSend}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
