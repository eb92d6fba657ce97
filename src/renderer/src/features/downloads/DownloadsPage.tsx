import { useEffect } from 'react';
import { useDownloads } from '../../stores/context';
import { DownloadRow } from './DownloadRow';
import './downloads.css';

/**
 * The download manager: every job with its progress, speed and time left, live from the host's
 * `downloads.progress` events (applied at most once a frame by the store), and its buttons.
 */
export function DownloadsPage() {
  const ids = useDownloads((s) => s.ids);
  const status = useDownloads((s) => s.status);
  const error = useDownloads((s) => s.error);
  const refresh = useDownloads((s) => s.refresh);

  // Events keep the list live; this catches up on what happened while the page was not shown.
  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <section className="page downloads-page" data-testid="page-downloads" aria-labelledby="downloads-title">
      <h2 id="downloads-title" className="page__title">
        Downloads
      </h2>
      {error !== null && (
        <p className="downloads-page__error" role="alert" data-testid="downloads-error">
          Could not list the downloads: {error}
        </p>
      )}
      {ids.length === 0 ? (
        <p className="downloads-empty" data-testid="downloads-empty">
          {status === 'loading' || status === 'idle' ? (
            'Loading…'
          ) : (
            <>
              No downloads yet. Search Hugging Face on the <a href="#models">Models</a> page and pick a file to download.
            </>
          )}
        </p>
      ) : (
        <ul className="downloads-list" data-testid="downloads-list" aria-label="Downloads">
          {ids.map((id) => (
            <DownloadRow key={id} id={id} />
          ))}
        </ul>
      )}
    </section>
  );
}
