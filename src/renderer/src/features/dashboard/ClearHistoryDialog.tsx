import { useEffect, useId, useRef, useState } from 'react';
import type { UsageDashboard } from '../../../../shared/contract';
import { useDashboard } from '../../stores/context';
import { formatCount } from '../chat/format';

/**
 * "Clear usage history?" as a modal <dialog>: the range shown or everything. Cancel has the focus
 * first so a stray Enter deletes nothing; calls still in flight are never deleted.
 */
export function ClearHistoryDialog({ data, onClose }: { data: UsageDashboard | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = { title: useId(), body: useId() };
  const clear = useDashboard((s) => s.clear);
  const [scope, setScope] = useState<'range' | 'all'>('range');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const inRange = data === null ? null : data.totals.calls;
  return (
    <dialog ref={ref} className="dash-dialog" data-testid="dash-clear-dialog" aria-labelledby={ids.title} aria-describedby={ids.body} onClose={onClose}>
      <h3 id={ids.title}>Clear usage history?</h3>
      <p id={ids.body}>
        This deletes the recorded calls (tokens, cost, latency) for good; conversations and messages stay. Calls still running are kept.
      </p>
      <fieldset className="dash-clear__scope">
        <label>
          <input type="radio" name="scope" checked={scope === 'range'} onChange={() => setScope('range')} data-testid="dash-clear-range" />
          The range shown{inRange === null ? '' : ` (${formatCount(inRange)} call${inRange === 1 ? '' : 's'})`}
        </label>
        <label>
          <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} data-testid="dash-clear-all" />
          All usage history
        </label>
      </fieldset>
      <div className="dash-dialog__actions">
        <button type="button" className="button" data-testid="dash-clear-cancel" onClick={() => ref.current?.close()} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="button button--danger"
          data-testid="dash-clear-confirm"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void clear(scope).finally(() => ref.current?.close());
          }}
        >
          Delete calls
        </button>
      </div>
    </dialog>
  );
}
