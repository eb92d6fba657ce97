import { useEffect, useState } from 'react';
import type { LoadedModelInfo } from '../../../../shared/contract';
import { useModels } from '../../stores/context';
import { BACKEND_LABELS, describeActivity, describeVerdict, formatMemory } from './engine-format';
import { ModelSettingsForm } from './ModelSettingsForm';
import { useEngine } from './use-engine';
import './engine.css';

export interface EnginePanelProps {
  /** A local model id to open the settings form on (a row's "Engine settings" button, say). */
  focusModel?: string;
}

/**
 * The local engine: the backend in use and the GPU self-check's verdicts, the memory budget, the
 * loaded models with their memory and settings (unload, hot-swap), loads in progress (with the
 * shader-compilation step), and a per-model settings form that loads the model.
 */
export function EnginePanel({ focusModel }: EnginePanelProps) {
  const status = useEngine((s) => s.status);
  const loadStatus = useEngine((s) => s.loadStatus);
  const error = useEngine((s) => s.error);
  const activity = useEngine((s) => s.activity);
  const checking = useEngine((s) => s.checking);
  const rechecking = useEngine((s) => s.rechecking);
  const refresh = useEngine((s) => s.refresh);
  const recheck = useEngine((s) => s.recheck);
  const items = useModels((s) => s.items);
  // Files the library flagged (truncated, missing keys) can't be loaded: not offered.
  const localIds = items.filter((m) => m.provider === 'local' && m.error === null).map((m) => m.ref);
  const [selected, setSelected] = useState<string>(focusModel ?? '');

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    if (focusModel !== undefined) setSelected(focusModel);
  }, [focusModel]);

  const loading = Object.values(activity);
  const used = status?.models.reduce((sum, m) => sum + m.memoryBytes, 0) ?? 0;
  const formModel = selected !== '' ? selected : (localIds[0] ?? '');

  return (
    <section className="engine-panel" aria-labelledby="engine-panel-title" data-testid="engine-panel">
      <header className="engine-panel__head">
        <h3 id="engine-panel-title">Local engine</h3>
        {status !== null && (
          <span className="engine-badge" data-testid="engine-backend">
            {BACKEND_LABELS[status.backend] ?? status.backend}
          </span>
        )}
        <button type="button" className="button" onClick={() => void refresh()} disabled={loadStatus === 'loading'}>
          Refresh
        </button>
      </header>
      {error !== null && (
        <p className="engine-error" role="alert" data-testid="engine-error">
          {error}
        </p>
      )}

      {status !== null && (
        <div className="engine-panel__backend" data-testid="engine-self-check">
          <p>
            Running on <strong>{BACKEND_LABELS[status.backend] ?? status.backend}</strong>, {status.threads} thread{status.threads === 1 ? '' : 's'}
            {status.restarts > 0 ? `, restarted ${status.restarts}×` : ''}.
          </p>
          {status.selfCheck === null ? (
            <p className="engine-muted">GPU self-check: off (gpu: false in switchboard.yaml).</p>
          ) : (
            <>
              <ul className="engine-verdicts">
                {status.selfCheck.verdicts.length === 0 && <li>No usable GPU backend on this machine: the CPU is used, no check needed.</li>}
                {status.selfCheck.verdicts.map((v) => (
                  <li key={v.backend} data-verdict={v.status} data-testid={`engine-verdict-${v.backend}`}>
                    {describeVerdict(v)}
                  </li>
                ))}
              </ul>
              <p className="engine-muted">
                {status.selfCheck.fromCache ? 'Remembered for' : 'Checked on'} {status.selfCheck.machine}.{' '}
                <button type="button" className="button button--link" onClick={() => void recheck()} disabled={rechecking} data-testid="engine-recheck">
                  {rechecking ? 'Checking…' : 'Check again'}
                </button>
              </p>
            </>
          )}
          {Object.entries(checking)
            .filter(([, step]) => step.state === 'checking' || step.state === 'compiling-shaders')
            .map(([backend, step]) => (
              <p key={backend} className="engine-step" role="status">
                Checking {BACKEND_LABELS[backend] ?? backend}
                {step.state === 'compiling-shaders' ? ': compiling shaders (11–20 s the first time)…' : '…'}
              </p>
            ))}
          <p className="engine-muted" data-testid="engine-memory">
            Memory: {formatMemory(used)} of a {formatMemory(status.memoryBudget.bytes)} budget
            {status.memoryBudget.source === 'config' ? ' (engine.memoryBudgetMiB)' : ' (from free memory at start)'}; the least recently used idle model
            is unloaded to stay under it.
          </p>
        </div>
      )}

      {loading.length > 0 && (
        <ul className="engine-activity" data-testid="engine-activity">
          {loading.map((a) => (
            <li key={a.path} data-state={a.state}>
              <span className="engine-activity__name">{a.id ?? a.path}</span>
              {a.state === 'loading' || a.state === 'warming' || a.state === 'compiling-shaders' ? (
                <progress max={1} value={a.state === 'loading' ? (a.progress ?? undefined) : undefined} aria-label={describeActivity(a)} />
              ) : null}
              <span className={a.state === 'failed' ? 'engine-error' : 'engine-muted'}>{describeActivity(a)}</span>
            </li>
          ))}
        </ul>
      )}

      {status !== null && <LoadedModels models={status.models} localIds={localIds} />}

      <div className="engine-panel__load">
        <label className="engine-settings__field">
          Model
          <select value={formModel} onChange={(event) => setSelected(event.target.value)} data-testid="engine-model-select">
            {localIds.length === 0 && <option value="">no local models</option>}
            {localIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        {formModel !== '' && <ModelSettingsForm key={formModel} modelId={formModel} loaded={status?.models.some((m) => m.id === formModel) ?? false} />}
      </div>
    </section>
  );
}

function LoadedModels({ models, localIds }: { models: LoadedModelInfo[]; localIds: string[] }) {
  const busy = useEngine((s) => s.busy);
  const actionErrors = useEngine((s) => s.actionErrors);
  const unload = useEngine((s) => s.unload);
  const swap = useEngine((s) => s.swap);
  const [swapTo, setSwapTo] = useState<Record<string, string>>({});
  if (models.length === 0) return <p className="engine-muted">No model loaded. A chat loads its model on demand, or load one below.</p>;
  return (
    <table className="engine-models" data-testid="engine-models">
      <thead>
        <tr>
          <th>Model</th>
          <th>Memory</th>
          <th>Context</th>
          <th>GPU layers</th>
          <th>Threads</th>
          <th>Flash attn.</th>
          <th>KV cache</th>
          <th>In use</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {models.map((m) => {
          const id = m.id ?? m.path;
          const others = localIds.filter((other) => other !== m.id);
          const target = swapTo[id] ?? others[0] ?? '';
          const action = busy[id] ?? (target !== '' ? busy[target] : undefined);
          return (
            <tr key={m.path} data-testid={`engine-model-${id}`}>
              <td>
                {id}
                {actionErrors[id] !== undefined && <div className="engine-error">{actionErrors[id]}</div>}
              </td>
              <td>{formatMemory(m.memoryBytes)}</td>
              <td>{m.contextSize}</td>
              <td>
                {m.gpuLayers}
                {typeof m.settings.gpuLayers === 'string' ? ` (${m.settings.gpuLayers})` : ''}
              </td>
              <td>{m.settings.threads}</td>
              <td>{m.settings.flashAttention ? 'on' : 'off'}</td>
              <td>{m.settings.kvCacheType}</td>
              <td>{m.activeRequests > 0 ? `${m.activeRequests} request${m.activeRequests === 1 ? '' : 's'}` : 'idle'}</td>
              <td className="engine-models__actions">
                <button type="button" className="button" disabled={action !== undefined || m.id === null} onClick={() => m.id !== null && void unload(m.id)}>
                  {busy[id] === 'unload' ? 'Unloading…' : 'Unload'}
                </button>
                {others.length > 0 && m.id !== null && (
                  <span className="engine-swap">
                    <select value={target} onChange={(event) => setSwapTo({ ...swapTo, [id]: event.target.value })} aria-label={`Model to swap ${id} for`}>
                      {others.map((other) => (
                        <option key={other} value={other}>
                          {other}
                        </option>
                      ))}
                    </select>
                    <button
                      type="button"
                      className="button"
                      disabled={action !== undefined}
                      title="Loads the other model; this one is unloaded once its requests in flight have finished"
                      onClick={() => m.id !== null && void swap(m.id, target)}
                    >
                      {busy[target] === 'swap' ? 'Swapping…' : 'Swap'}
                    </button>
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
