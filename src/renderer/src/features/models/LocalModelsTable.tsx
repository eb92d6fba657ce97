import { useEffect } from 'react';
import type { SelectableModel } from '../../../../shared/domain';
import { useLibrary } from '../../stores/context';
import { formatContext } from '../chat/model-labels';
import { FitBadge } from './FitBadge';
import { formatBytes, formatParameters } from './format';

interface RowActions {
  /** Asks to delete a file (the page confirms first). */
  onDelete: (model: SelectableModel) => void;
  /** Opens the engine's load settings for a model. */
  onEngineSettings: (model: SelectableModel) => void;
}

/**
 * The GGUF files in the models folders, with what their headers say and how each would run here.
 * A file that can't be loaded stays listed, with why.
 */
export function LocalModelsTable({ models, ...actions }: { models: SelectableModel[] } & RowActions) {
  return (
    <div className="models-table__scroll">
      <table className="models-table" data-testid="local-models">
        <caption className="visually-hidden">GGUF files in the models folders</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Arch</th>
            <th scope="col" className="models-table__num">
              <abbr title="Parameters">Params</abbr>
            </th>
            <th scope="col">
              <abbr title="Quantization">Quant</abbr>
            </th>
            <th scope="col" className="models-table__num">
              Context
            </th>
            <th scope="col" className="models-table__num">
              Size
            </th>
            <th scope="col">Fit here</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <LocalModelRow key={model.ref} model={model} {...actions} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LocalModelRow({ model, onDelete, onEngineSettings }: { model: SelectableModel } & RowActions) {
  const file = model.file;
  const broken = model.error !== null;
  const deleting = useLibrary((s) => s.deleting[model.ref] === true);
  return (
    <tr data-testid="local-model-row" data-model-id={model.ref} className={broken ? 'models-table__row--broken' : undefined}>
      <th scope="row" className="models-table__name">
        <span>{model.displayName}</span>
        {file !== null && (
          <span className="models-table__sub" title={file.path}>
            {file.path}
          </span>
        )}
        {broken && (
          <span className="models-table__problem" data-testid="local-model-error">
            {model.error}
          </span>
        )}
        {!broken && file?.hasChatTemplate === false && (
          <span className="models-table__sub" title="Chat uses a generic prompt format for it">
            no chat template in the file
          </span>
        )}
      </th>
      <td>{file?.architecture ?? '—'}</td>
      <td className="models-table__num">{formatParameters(file?.parameterCount)}</td>
      <td>{file?.quantization ?? '—'}</td>
      <td className="models-table__num">{model.contextWindow === null ? '—' : formatContext(model.contextWindow)}</td>
      <td className="models-table__num">{formatBytes(file?.sizeBytes)}</td>
      <td>{broken ? <span className="model-badge model-badge--danger">can’t load</span> : <LocalFit id={model.ref} />}</td>
      <td className="models-table__actions">
        {!broken && (
          <button
            type="button"
            className="button button--quiet"
            data-testid="local-model-engine"
            aria-label={`Engine settings for ${model.displayName}`}
            title="Load it with chosen GPU layers, context size, threads…"
            onClick={() => onEngineSettings(model)}
          >
            Load…
          </button>
        )}
        <button
          type="button"
          className="button button--quiet button--danger"
          data-testid="local-model-delete"
          aria-label={`Delete ${model.displayName}`}
          disabled={deleting}
          onClick={() => onDelete(model)}
        >
          {deleting ? 'Deleting…' : 'Delete'}
        </button>
      </td>
    </tr>
  );
}

/** Asks the engine (once per model) how the file would run on this machine. */
function LocalFit({ id }: { id: string }) {
  const entry = useLibrary((s) => s.fits[id]);
  const loadFit = useLibrary((s) => s.loadFit);
  useEffect(() => {
    void loadFit(id);
  }, [id, loadFit]);
  if (entry === undefined || entry.status === 'loading') return <span className="models-table__sub">estimating…</span>;
  if (entry.status === 'error') {
    return (
      <span className="models-table__sub" data-testid="local-model-fit-error" title={entry.error ?? undefined}>
        no estimate
      </span>
    );
  }
  return <FitBadge fit={entry.fit} testId="local-model-fit" />;
}
