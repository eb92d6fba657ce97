import { useId } from 'react';
import { useDownloads } from '../../stores/context';
import { type DownloadAction, actionsFor } from '../../stores/downloads-store';
import { describeSource, formatEta, formatProgress, formatSpeed, percentDone, stateLabel } from './format';

const ACTION_LABELS: Record<DownloadAction, string> = {
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry',
  dismiss: 'Remove from list',
};

/** One job; it subscribes to its own entry, so a progress event re-renders this row alone. */
export function DownloadRow({ id }: { id: string }) {
  const job = useDownloads((s) => s.jobs[id]);
  const busy = useDownloads((s) => s.busy[id]);
  const actionError = useDownloads((s) => s.actionErrors[id]);
  const act = useDownloads((s) => s.act);
  const titleId = useId();
  if (job === undefined) return null;

  const percent = percentDone(job.bytes, job.total);
  const active = job.state === 'running' || job.state === 'stalled' || job.state === 'verifying';
  const done = job.state === 'completed';

  return (
    <li className={`download download--${job.state}`} data-testid="download-item" data-job-id={job.id} data-state={job.state} aria-labelledby={titleId}>
      <div className="download__head">
        <div className="download__title">
          <strong id={titleId}>{job.title}</strong>
          <span className="download__source">{describeSource(job.source)}</span>
        </div>
        <span className={`download__state download__state--${job.state}`} data-testid="download-state">
          {stateLabel(job.state)}
          {job.attempts > 1 && !done && <span className="download__attempts"> · try {job.attempts}</span>}
        </span>
      </div>

      <div
        className="download__bar"
        role="progressbar"
        data-testid="download-progress"
        aria-labelledby={titleId}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent !== null ? { 'aria-valuenow': percent, 'aria-valuetext': `${percent}% · ${formatProgress(job.bytes, job.total)}` } : {})}
      >
        <div className={`download__fill${percent === null ? ' download__fill--unknown' : ''}`} style={{ width: `${done ? 100 : (percent ?? 100)}%` }} />
      </div>

      <div className="download__figures">
        <span data-testid="download-bytes">{formatProgress(done && job.total !== null ? job.total : job.bytes, job.total)}</span>
        {percent !== null && !done && <span data-testid="download-percent">{percent}%</span>}
        {active && (
          <>
            <span data-testid="download-speed" title="Speed over the last few seconds">
              {formatSpeed(job.speedBps)}
            </span>
            <span data-testid="download-eta" title="Time left at this speed">
              {job.etaSeconds === null ? 'time left unknown' : `${formatEta(job.etaSeconds)} left`}
            </span>
          </>
        )}
        {done && job.destPath !== null && (
          <span className="download__dest" data-testid="download-dest" title={job.destPath}>
            Saved to {job.destPath} · <a href="#models">see it in Models</a>
          </span>
        )}
      </div>

      {job.error !== null && (
        <p className={job.state === 'failed' ? 'download__error' : 'download__warning'} role={job.state === 'failed' ? 'alert' : 'status'} data-testid="download-error" data-code={job.error.code}>
          {job.state === 'stalled' ? `${job.error.message} Retrying automatically…` : job.error.message}
        </p>
      )}
      {actionError !== undefined && (
        <p className="download__error" role="alert" data-testid="download-action-error">
          {actionError}
        </p>
      )}

      <div className="download__actions">
        {actionsFor(job.state).map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'retry' ? 'button button--primary' : action === 'cancel' ? 'button button--danger' : 'button'}
            data-testid={`download-${action}`}
            aria-label={`${ACTION_LABELS[action]}: ${job.title}`}
            disabled={busy !== undefined}
            onClick={() => void act(job.id, action)}
          >
            {busy === action ? `${ACTION_LABELS[action]}…` : ACTION_LABELS[action]}
          </button>
        ))}
      </div>
    </li>
  );
}
