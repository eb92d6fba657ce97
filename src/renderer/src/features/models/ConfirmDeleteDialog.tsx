import { useEffect, useId, useRef } from 'react';
import type { SelectableModel } from '../../../../shared/domain';
import { formatBytes } from './format';

/**
 * "Delete this file from disk?" as a modal <dialog>: focus stays inside, Escape cancels, and
 * Cancel has the focus first so a stray Enter deletes nothing.
 */
export function ConfirmDeleteDialog({ model, onConfirm, onClose }: { model: SelectableModel; onConfirm: () => void; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = { title: useId(), body: useId() };

  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog ref={ref} className="confirm-dialog" data-testid="confirm-delete" aria-labelledby={ids.title} aria-describedby={ids.body} onClose={onClose}>
      <h3 id={ids.title}>Delete {model.displayName}?</h3>
      <p id={ids.body}>
        This deletes <code>{model.file?.path ?? model.ref}</code>
        {model.file !== null && ` (${formatBytes(model.file.sizeBytes)})`} from disk. It cannot be undone; you would have to download it again.
      </p>
      <div className="confirm-dialog__actions">
        <button type="button" className="button" data-testid="confirm-delete-cancel" onClick={() => ref.current?.close()} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="button button--danger"
          data-testid="confirm-delete-ok"
          onClick={() => {
            onConfirm();
            ref.current?.close();
          }}
        >
          Delete file
        </button>
      </div>
    </dialog>
  );
}
