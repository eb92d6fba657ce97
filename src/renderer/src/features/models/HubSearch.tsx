import { type FormEvent, useId, useMemo, useState } from 'react';
import type { DownloadJob, HubFile, HubRepo } from '../../../../shared/contract';
import { useDownloads, useHub, useModels } from '../../stores/context';
import { sourceKey } from '../../stores/downloads-store';
import { type HubSort, inspectionKey } from '../../stores/hub-store';
import { formatContext } from '../chat/model-labels';
import { percentDone } from '../downloads/format';
import { FitBadge } from './FitBadge';
import { formatBytes, formatParameters } from './format';
import { isHubFile } from './hub-file';

const SORTS: readonly { value: HubSort; label: string }[] = [
  { value: 'downloads', label: 'Most downloaded' },
  { value: 'likes', label: 'Most liked' },
  { value: 'updated', label: 'Recently updated' },
];

const UNFINISHED = new Set<DownloadJob['state']>(['queued', 'running', 'stalled', 'paused', 'verifying']);

/** Search the Hugging Face hub for GGUF repos, see each quant file's size and fit, and download one. */
export function HubSearch() {
  const query = useHub((s) => s.query);
  const sort = useHub((s) => s.sort);
  const status = useHub((s) => s.status);
  const error = useHub((s) => s.error);
  const hubUrl = useHub((s) => s.hubUrl);
  const searched = useHub((s) => s.searched);
  const repos = useHub((s) => s.repos);
  const setQuery = useHub((s) => s.setQuery);
  const setSort = useHub((s) => s.setSort);
  const search = useHub((s) => s.search);
  const items = useModels((s) => s.items);
  // Local file paths, to mark hub files already downloaded.
  const present = useMemo(() => items.flatMap((m) => (m.file === null ? [] : [m.file.path])), [items]);
  const ids = { query: useId(), sort: useId() };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void search();
  };

  return (
    <section className="models-section hub" data-testid="hub-search" aria-labelledby="hub-title">
      <h3 id="hub-title" className="models-section__title">
        Download from Hugging Face
        {hubUrl !== null && (
          <span className="models-section__count" data-testid="hub-url">
            {hubUrl}
          </span>
        )}
      </h3>
      <form className="model-filters hub__form" role="search" aria-label="Search Hugging Face" onSubmit={submit}>
        <div className="model-filters__field model-filters__field--grow">
          <label htmlFor={ids.query}>GGUF models</label>
          <input
            id={ids.query}
            type="search"
            data-testid="hub-query"
            placeholder="qwen2.5 instruct, llama 3.2, phi…"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <div className="model-filters__field">
          <label htmlFor={ids.sort}>Order</label>
          <select id={ids.sort} data-testid="hub-sort" value={sort} onChange={(event) => setSort(event.target.value as HubSort)}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--primary" data-testid="hub-search-submit" disabled={status === 'loading'}>
          {status === 'loading' ? 'Searching…' : 'Search'}
        </button>
      </form>

      {error !== null && (
        <p className="models-page__error" role="alert" data-testid="hub-error">
          Hugging Face search failed: {error}
        </p>
      )}
      {status === 'ready' && repos.length === 0 && (
        <p className="models-empty" data-testid="hub-no-results">
          No GGUF repos found{searched ? ` for “${searched}”` : ''}.
        </p>
      )}
      {repos.length > 0 && (
        <ul className="hub__repos" aria-label="Repos with GGUF files" aria-busy={status === 'loading'}>
          {repos.map((repo) => (
            <HubRepoItem key={repo.id} repo={repo} present={present} />
          ))}
        </ul>
      )}
    </section>
  );
}

function HubRepoItem({ repo, present }: { repo: HubRepo; present: readonly string[] }) {
  const titleId = useId();
  return (
    <li className="hub-repo" data-testid="hub-repo" data-repo={repo.id} aria-labelledby={titleId}>
      <div className="hub-repo__head">
        <h4 id={titleId} className="hub-repo__title">
          {repo.id}
        </h4>
        <span className="hub-repo__stats">
          {repo.downloads !== null && <span title="Downloads">↓ {repo.downloads.toLocaleString('en-US')}</span>}
          {repo.likes !== null && <span title="Likes">♥ {repo.likes.toLocaleString('en-US')}</span>}
          {repo.updatedAt !== null && <span title="Last updated">{repo.updatedAt.slice(0, 10)}</span>}
        </span>
      </div>
      <table className="models-table hub-files">
        <caption className="visually-hidden">GGUF files of {repo.id}</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Quant</th>
            <th scope="col" className="models-table__num">
              Size
            </th>
            <th scope="col">Fit here</th>
            <th scope="col">
              <span className="visually-hidden">Download</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {repo.files.map((file) => (
            <HubFileRow key={file.path} repo={repo.id} file={file} inLibrary={present.some((path) => isHubFile(path, repo.id, file.path))} />
          ))}
        </tbody>
      </table>
    </li>
  );
}

function HubFileRow({ repo, file, inLibrary }: { repo: string; file: HubFile; inLibrary: boolean }) {
  const key = sourceKey({ kind: 'hub', repo, file: file.path });
  // the newest job for this file, if any: each row follows its own
  const job = useDownloads((s) => {
    for (const id of s.ids) {
      const j = s.jobs[id];
      if (j !== undefined && sourceKey(j.source) === key) return j;
    }
    return undefined;
  });
  const start = useDownloads((s) => s.start);
  const inspection = useHub((s) => s.inspections[inspectionKey(repo, file.path)]);
  const inspect = useHub((s) => s.inspect);
  const [starting, setStarting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const unfinished = job !== undefined && UNFINISHED.has(job.state);
  const percent = job === undefined ? null : percentDone(job.bytes, job.total);

  const download = async () => {
    setStarting(true);
    setProblem(null);
    const outcome = await start({ kind: 'hub', repo, file: file.path });
    setStarting(false);
    if (!outcome.ok) setProblem(outcome.message);
  };

  return (
    <>
      <tr data-testid="hub-file" data-file={file.path}>
        <th scope="row" className="models-table__name">
          <span>{file.path}</span>
          {file.sha256 !== null && (
            <span className="models-table__sub" title={`sha256 ${file.sha256}`}>
              sha256 {file.sha256.slice(0, 12)}…
            </span>
          )}
        </th>
        <td>{file.quantization ?? '—'}</td>
        <td className="models-table__num">{formatBytes(file.sizeBytes)}</td>
        <td>
          <FitBadge fit={file.fit} testId="hub-fit" />
        </td>
        <td className="models-table__actions">
          {unfinished ? (
            <a href="#downloads" className="hub-file__job" data-testid="hub-file-job" data-state={job.state}>
              {job.state === 'paused' ? 'Paused' : job.state === 'queued' ? 'Queued' : job.state === 'verifying' ? 'Verifying' : 'Downloading'}
              {percent !== null && ` ${percent}%`}
            </a>
          ) : inLibrary ? (
            <span className="model-badge model-badge--ok" data-testid="hub-file-present">
              In library
            </span>
          ) : (
            <button
              type="button"
              className="button button--primary"
              data-testid="hub-download"
              aria-label={`Download ${file.path} from ${repo}`}
              disabled={starting}
              onClick={() => void download()}
            >
              {starting ? 'Starting…' : job?.state === 'failed' ? 'Download again' : 'Download'}
            </button>
          )}{' '}
          <button
            type="button"
            className="button button--quiet"
            data-testid="hub-inspect"
            aria-label={`Read the header of ${file.path}`}
            title="Read the GGUF header remotely (no download) and estimate the fit"
            disabled={inspection?.status === 'loading'}
            onClick={() => void inspect(repo, file.path)}
          >
            Details
          </button>
        </td>
      </tr>
      {problem !== null && (
        <tr>
          <td colSpan={5}>
            <p className="models-page__error" role="alert" data-testid="hub-download-error">
              Could not start the download: {problem}
            </p>
          </td>
        </tr>
      )}
      {inspection !== undefined && (
        <tr className="hub-file__details" data-testid="hub-inspection">
          <td colSpan={5}>
            {inspection.status === 'loading' && 'Reading the GGUF header…'}
            {inspection.status === 'error' && <span role="alert">Could not read the header: {inspection.error}</span>}
            {inspection.data !== null && (
              <dl className="hub-details">
                <dt>Architecture</dt>
                <dd>{inspection.data.architecture ?? '—'}</dd>
                <dt>Parameters</dt>
                <dd>{formatParameters(inspection.data.parameterCount)}</dd>
                <dt>Trained context</dt>
                <dd>{inspection.data.contextLength === null ? '—' : formatContext(inspection.data.contextLength)}</dd>
                <dt>Chat template</dt>
                <dd>{inspection.data.hasChatTemplate === null ? '—' : inspection.data.hasChatTemplate ? 'yes' : 'no'}</dd>
                <dt>Fit</dt>
                <dd>{inspection.data.fit !== null ? <FitBadge fit={inspection.data.fit} testId="hub-inspection-fit" /> : (inspection.data.fitError ?? '—')}</dd>
                {!inspection.data.rangeSupported && (
                  <>
                    <dt>Note</dt>
                    <dd>the hub answered without Range support, so the header could not be read before downloading</dd>
                  </>
                )}
              </dl>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
