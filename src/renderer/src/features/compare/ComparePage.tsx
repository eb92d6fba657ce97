import { type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent, useEffect, useId, useState } from 'react';
import { readyRefs } from '../../stores/composer-attachments-store';
import { MAX_COLUMNS, MIN_COLUMNS } from '../../stores/compare-store';
import { useModels } from '../../stores/context';
import { isUsable } from '../../stores/models-store';
import { AttachmentThumbs } from '../chat/AttachmentThumbs';
import { parseMaxTokens } from '../chat/max-tokens';
import { modelLabel } from '../chat/format';
import { visionAdvice } from '../chat/vision';
import { CompareColumn } from './CompareColumn';
import { CompareDrafts } from './CompareDrafts';
import { CompareModelSelect } from './CompareModelSelect';
import { useCompare, useCompareAttachments } from './use-compare';
import '../chat/chat.css';
import './compare.css';

const filesOf = (data: DataTransfer | null): File[] => (data === null ? [] : [...data.files]);
/** A recent run's prompt for a label: short, one line. */
const recentLabel = (text: string): string => {
  const line = text.trim().split('\n')[0] ?? '';
  return line === '' ? '(images only)' : line.length > 60 ? `${line.slice(0, 60)}…` : line;
};

/** One prompt to 2–4 models side by side; each column streams, stops and fails on its own. */
export function ComparePage() {
  const models = useCompare((s) => s.models);
  const columns = useCompare((s) => s.columns);
  const running = useCompare((s) => s.running);
  const error = useCompare((s) => s.error);
  const prompt = useCompare((s) => s.prompt);
  const recent = useCompare((s) => s.recent);
  const runId = useCompare((s) => s.runId);
  const shownImages = useCompare((s) => s.attachments);
  const { setModel, addColumn, removeColumn, run, rerun, stop, continueInChat, loadRecent, show, remove } = useCompare((s) => s);
  const items = useModels((s) => s.items);
  const drafts = useCompareAttachments((s) => s.drafts);
  const addFiles = useCompareAttachments((s) => s.add);
  const clearDrafts = useCompareAttachments((s) => s.clear);
  const [text, setText] = useState('');
  const [maxTokens, setMaxTokens] = useState('');
  const ids = { text: useId(), max: useId() };

  const chatModel = useModels((s) => s.selectedId);
  const firstModel = models[0] ?? null;
  useEffect(() => {
    void loadRecent();
  }, [loadRecent]);
  // The first column starts on the chat's model; the others are the user's to pick.
  useEffect(() => {
    if (firstModel === null && chatModel !== null) setModel(0, chatModel);
  }, [firstModel, chatModel, setModel]);

  const images = readyRefs(drafts);
  const preparing = drafts.some((d) => d.status === 'preparing');
  const usable = items.filter(isUsable);
  // The chat's rule, per column: a model that can't see images holds the run (never drops them silently).
  const blind = models.flatMap((m) => {
    const advice = visionAdvice(m, usable, images.length);
    return advice.kind === 'no-vision' ? [advice.model] : [];
  });
  const max = parseMaxTokens(maxTokens);
  const canRun = !running && models.every((m) => m !== null) && (text.trim() !== '' || images.length > 0) && max.ok && !preparing && blind.length === 0;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canRun || !max.ok) return;
    const sent = text;
    setText('');
    clearDrafts();
    void run({ text: sent, ...(images.length === 0 ? {} : { attachments: images }), ...(max.value === undefined ? {} : { maxOutputTokens: max.value }) });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape' && running) {
      event.preventDefault();
      stop();
    }
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const files = filesOf(event.dataTransfer);
    if (files.length > 0) void addFiles(files);
  };
  const onDragOver = (event: DragEvent) => {
    if ([...event.dataTransfer.types].includes('Files')) event.preventDefault();
  };
  const onPaste = (event: ClipboardEvent) => {
    const files = filesOf(event.clipboardData);
    if (files.length === 0) return;
    event.preventDefault();
    void addFiles(files);
  };
  const continueColumn = async (column: number) => {
    const conversationId = await continueInChat(column);
    if (conversationId !== null) window.location.hash = 'chat';
  };

  return (
    <section className="compare" aria-label="Compare models" data-testid="compare-page" onDragOver={onDragOver} onDrop={onDrop}>
      <header className="compare__head">
        <h2>Compare</h2>
        <div className="compare__models" style={{ gridTemplateColumns: `repeat(${models.length}, minmax(0, 1fr))` }}>
          {models.map((model, i) => (
            <div key={i} className="compare__model-slot">
              <CompareModelSelect column={i} value={model} onChange={(ref) => setModel(i, ref)} />
              {models.length > MIN_COLUMNS && (
                <button type="button" className="button button--quiet button--small" aria-label={`Remove column ${i + 1}`} data-testid="compare-remove-column" disabled={running} onClick={() => removeColumn(i)}>
                  ×
                </button>
              )}
            </div>
          ))}
        </div>
        <button type="button" className="button button--quiet" data-testid="compare-add-column" disabled={running || models.length >= MAX_COLUMNS} onClick={addColumn}>
          + Model
        </button>
      </header>

      <form className="composer compare__composer" onSubmit={submit} aria-label="Prompt to compare" data-testid="compare-form" onPaste={onPaste}>
        <CompareDrafts />
        {blind.length > 0 && (
          <p className="composer__vision composer__vision--no-vision" role="alert" data-testid="compare-vision-warning">
            {blind.join(', ')} can’t see images, so they would not reach {blind.length === 1 ? 'it' : 'them'}. Pick models with vision, or remove the images.
          </p>
        )}
        <label htmlFor={ids.text} className="visually-hidden">
          Prompt
        </label>
        <textarea
          id={ids.text}
          className="composer__input"
          data-testid="compare-input"
          placeholder="One prompt, sent to every model (Enter to compare, Shift+Enter for a new line; drop or paste images)"
          value={text}
          rows={3}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="composer__bar">
          <p className="composer__hint">
            {running ? 'Comparing… Esc or Stop all to end every column; each column has its own Stop.' : preparing ? 'Preparing images…' : `${models.length} models · Enter to compare`}
          </p>
          <label className="composer__max" htmlFor={ids.max}>
            Max tokens
            <input id={ids.max} data-testid="compare-max-tokens" inputMode="numeric" placeholder="default" value={maxTokens} aria-invalid={!max.ok} onChange={(event) => setMaxTokens(event.target.value)} />
          </label>
          {!max.ok && (
            <span className="composer__max-error" role="alert">
              {max.message}
            </span>
          )}
          {running ? (
            <button type="button" className="button button--danger" data-testid="compare-stop-all" onClick={() => stop()}>
              Stop all
            </button>
          ) : (
            <>
              <button
                type="button"
                className="button"
                data-testid="compare-rerun"
                disabled={prompt === '' || columns.length === 0 || models.some((m) => m === null)}
                title="Send the prompt shown above the answers to the chosen models again"
                onClick={() => void rerun()}
              >
                Re-run
              </button>
              <button type="submit" className="button button--primary" data-testid="compare-run" disabled={!canRun}>
                Compare
              </button>
            </>
          )}
        </div>
      </form>

      {error !== null && (
        <p className="message__error" role="alert" data-testid="compare-run-error">
          {error}
        </p>
      )}

      {columns.length > 0 && (
        <>
          <p className="compare__prompt" data-testid="compare-prompt">
            <strong>Prompt:</strong> {prompt === '' ? '(images only)' : prompt}
          </p>
          {shownImages.length > 0 && (
            <div className="compare__prompt-images">
              <AttachmentThumbs attachments={shownImages} />
            </div>
          )}
          <div className="compare__columns" style={{ gridTemplateColumns: `repeat(${columns.length}, minmax(0, 1fr))` }}>
            {columns.map((view, i) => (
              <div key={`${runId ?? 'pending'}-${i}`} className="compare__cell">
                <h3 className="compare__column-title" title={view.model ?? undefined}>
                  {modelLabel(view.model)}
                </h3>
                <CompareColumn index={i} view={view} onStop={() => stop(i)} onContinue={() => void continueColumn(i)} />
              </div>
            ))}
          </div>
        </>
      )}

      {recent.length > 0 && (
        <section className="compare__recent" aria-label="Recent comparisons">
          <h3>Recent comparisons</h3>
          <ul data-testid="compare-recent">
            {recent.map((r) => (
              <li key={r.runId}>
                <button type="button" className="button button--quiet compare__recent-open" data-testid="compare-recent-item" disabled={running} aria-current={r.runId === runId ? 'true' : undefined} onClick={() => show(r.runId)}>
                  <span className="compare__recent-text">{r.text === '' ? '(images only)' : r.text}</span>
                  <span className="compare__recent-models">{r.columns.map((c) => modelLabel(c.model)).join(' · ')}</span>
                </button>
                <button
                  type="button"
                  className="button button--quiet button--small"
                  data-testid="compare-recent-delete"
                  aria-label={`Delete the comparison “${recentLabel(r.text)}”`}
                  title="Delete this comparison (its usage stays in the dashboard)"
                  disabled={running}
                  onClick={() => {
                    if (window.confirm(`Delete the comparison “${recentLabel(r.text)}”? Its answers are gone for good; its usage stays in the dashboard.`)) void remove(r.runId);
                  }}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
          <p className="compare__recent-note">The latest 100 comparisons are kept; “Continue in chat” makes an answer a conversation.</p>
        </section>
      )}
    </section>
  );
}
