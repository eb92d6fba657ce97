import { useEffect } from 'react';
import { useDownloads, useLibrary } from '../../stores/context';
import { sourceKey } from '../../stores/downloads-store';
import { percentDone } from '../downloads/format';
import { formatBytes } from './format';

/**
 * First run (no local model, no provider): one click downloads a small instruct model, so a
 * fresh install reaches a working local chat.
 */
export function OnboardingCard() {
  const starter = useLibrary((s) => s.starter);
  const loadStarter = useLibrary((s) => s.loadStarter);
  const startStarter = useLibrary((s) => s.startStarter);
  const model = starter.model;
  const key = model === null ? null : sourceKey({ kind: 'hub', repo: model.repo, file: model.file });
  const job = useDownloads((s) => {
    if (key === null) return undefined;
    for (const id of s.ids) {
      const j = s.jobs[id];
      if (j !== undefined && sourceKey(j.source) === key) return j;
    }
    return undefined;
  });

  useEffect(() => {
    if (starter.status === 'idle') void loadStarter();
  }, [starter.status, loadStarter]);

  if (starter.presentAt !== null) return null;
  const percent = job === undefined ? null : percentDone(job.bytes, job.total);
  const started = job !== undefined && job.state !== 'failed' && job.state !== 'cancelled';

  return (
    <section className="onboarding" data-testid="onboarding" aria-labelledby="onboarding-title">
      <h3 id="onboarding-title">Get a model to chat with</h3>
      <p>
        There is no model on this machine yet and no provider is configured. Download a small instruct model that runs on almost any computer
        {model !== null && (
          <>
            : <strong>{model.title}</strong> (about {formatBytes(model.approxSizeBytes)}, from <code>{model.repo}</code>)
          </>
        )}
        .
      </p>
      {starter.error !== null && (
        <p className="models-page__error" role="alert" data-testid="onboarding-error">
          {starter.error}
        </p>
      )}
      {started ? (
        <p data-testid="onboarding-progress">
          {job.state === 'completed' ? 'Downloaded. It is ready in the list below.' : `Downloading${percent !== null ? `: ${percent}%` : '…'}`}{' '}
          <a href="#downloads">See the download</a>
        </p>
      ) : (
        <button
          type="button"
          className="button button--primary"
          data-testid="onboarding-download"
          disabled={starter.status === 'loading'}
          onClick={() => void startStarter()}
        >
          {model === null ? 'Download the starter model' : `Download ${model.title}`}
        </button>
      )}
      <p className="onboarding__alt">
        Or add a cloud provider under <code>providers:</code> in <code>switchboard.yaml</code>, or drop a <code>.gguf</code> file onto this window.
      </p>
    </section>
  );
}
