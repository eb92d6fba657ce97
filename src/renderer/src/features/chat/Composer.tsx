import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import { useChat, useModels } from '../../stores/context';
import { parseMaxTokens } from './max-tokens';

export function Composer() {
  const [text, setText] = useState('');
  const [maxTokens, setMaxTokens] = useState('');
  const model = useModels((s) => s.selectedId);
  const streaming = useChat((s) => s.streaming);
  const send = useChat((s) => s.send);
  const stop = useChat((s) => s.stop);
  const input = useRef<HTMLTextAreaElement>(null);
  const ids = { text: useId(), max: useId(), hint: useId(), maxError: useId() };

  const max = parseMaxTokens(maxTokens);
  const canSend = streaming === null && model !== null && text.trim() !== '' && max.ok;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend || model === null || !max.ok) return;
    const prompt = text;
    setText('');
    void send({ text: prompt, model, ...(max.value === undefined ? {} : { maxOutputTokens: max.value }) });
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

  return (
    <form className="composer" onSubmit={submit} aria-label="Send a message">
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
        placeholder={model === null ? 'Add a model to start chatting' : 'Message… (Enter to send, Shift+Enter for a new line)'}
        aria-describedby={ids.hint}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
      />
      <div className="composer__bar">
        <p id={ids.hint} className="composer__hint">
          {streaming !== null ? 'Generating… Esc or Stop to end it.' : 'Enter to send · Shift+Enter for a new line'}
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
