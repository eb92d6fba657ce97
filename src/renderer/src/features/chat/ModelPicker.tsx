import { useId } from 'react';
import { useModels } from '../../stores/context';
import { isUsable } from '../../stores/models-store';

/** Local models; ones that can't load are listed disabled, with the reason. */
export function ModelPicker() {
  const items = useModels((s) => s.items);
  const selectedId = useModels((s) => s.selectedId);
  const status = useModels((s) => s.status);
  const error = useModels((s) => s.error);
  const select = useModels((s) => s.select);
  const refresh = useModels((s) => s.refresh);
  const ids = { select: useId(), problems: useId() };
  const broken = items.filter((m) => !isUsable(m));

  return (
    <div className="model-picker">
      <label htmlFor={ids.select} className="model-picker__label">
        Model
      </label>
      <select
        id={ids.select}
        data-testid="model-picker"
        value={selectedId ?? ''}
        disabled={items.length === 0}
        aria-describedby={broken.length > 0 ? ids.problems : undefined}
        onChange={(event) => select(event.target.value)}
      >
        {selectedId === null && (
          <option value="" disabled>
            {status === 'loading' ? 'Loading models…' : 'No usable model'}
          </option>
        )}
        {items.map((model) => (
          <option
            key={model.id}
            value={model.id}
            data-testid="model-option"
            data-model-id={model.id}
            disabled={!isUsable(model)}
            title={model.error ?? describe(model)}
          >
            {model.error === null ? model.name : `${model.name} (unavailable)`}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--quiet"
        onClick={() => void refresh()}
        disabled={status === 'loading'}
        aria-label="Rescan the models folder"
        title="Rescan the models folder"
      >
        ↻
      </button>
      {error !== null && (
        <p className="model-picker__error" role="alert">
          Could not list models: {error}
        </p>
      )}
      {broken.length > 0 && (
        <ul id={ids.problems} className="model-picker__problems" aria-label="Unavailable models">
          {broken.map((model) => (
            <li key={model.id} data-testid="model-error" data-model-id={model.id}>
              <strong>{model.name}</strong> can’t be used: {model.error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function describe(model: { architecture: string | null; quantization: string | null; sizeBytes: number }): string {
  const size = `${(model.sizeBytes / 1024 ** 2).toFixed(model.sizeBytes < 10 * 1024 ** 2 ? 1 : 0)} MB`;
  return [model.architecture, model.quantization, size].filter(Boolean).join(' · ');
}
