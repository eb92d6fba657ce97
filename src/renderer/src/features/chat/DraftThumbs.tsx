import { useComposerAttachments } from '../../stores/context';

/** What the composer will send: a thumbnail per image (with a remove button), and each refusal, said plainly. */
export function DraftThumbs() {
  const drafts = useComposerAttachments((s) => s.drafts);
  const remove = useComposerAttachments((s) => s.remove);
  if (drafts.length === 0) return null;
  return (
    <ul className="composer__drafts" aria-label="Images to send" data-testid="draft-attachments">
      {drafts.map((draft) => (
        <li
          key={draft.key}
          className={`draft draft--${draft.status}`}
          data-testid={draft.status === 'error' ? 'attachment-error' : 'draft-attachment'}
          data-status={draft.status}
        >
          {draft.status === 'ready' && (
            <img className="thumb" src={draft.previewUrl} alt={draft.name} title={draft.note ?? `${draft.name} · ${draft.width}×${draft.height}`} />
          )}
          {draft.status === 'preparing' && <span className="thumb thumb--placeholder">preparing…</span>}
          {draft.status === 'error' && (
            <span className="draft__error" role="alert">
              {draft.error}
            </span>
          )}
          {draft.status === 'ready' && draft.note !== null && (
            <span className="draft__note" data-testid="attachment-note">
              {draft.note}
            </span>
          )}
          <button
            type="button"
            className="draft__remove"
            data-testid="remove-attachment"
            aria-label={draft.status === 'error' ? `Dismiss: ${draft.name}` : `Remove ${draft.name}`}
            onClick={() => remove(draft.key)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
