import { useCompareAttachments } from './use-compare';

/** The prompt's images: a thumbnail each with a remove button, and each refusal said plainly (as in the chat composer). */
export function CompareDrafts() {
  const drafts = useCompareAttachments((s) => s.drafts);
  const remove = useCompareAttachments((s) => s.remove);
  if (drafts.length === 0) return null;
  return (
    <ul className="composer__drafts" aria-label="Images to send" data-testid="compare-drafts">
      {drafts.map((draft) => (
        <li key={draft.key} className={`draft draft--${draft.status}`} data-testid={draft.status === 'error' ? 'attachment-error' : 'draft-attachment'} data-status={draft.status}>
          {draft.status === 'ready' && <img className="thumb" src={draft.previewUrl} alt={draft.name} title={draft.note ?? `${draft.name} · ${draft.width}×${draft.height}`} />}
          {draft.status === 'preparing' && <span className="thumb thumb--placeholder">preparing…</span>}
          {draft.status === 'error' && (
            <span className="draft__error" role="alert">
              {draft.error}
            </span>
          )}
          <button
            type="button"
            className="draft__remove"
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
