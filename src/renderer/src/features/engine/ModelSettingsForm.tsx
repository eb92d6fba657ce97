import { useEffect, useState } from 'react';
import { KV_CACHE_TYPES, type SettingsFields, fieldsFrom, parseSettingsFields } from './engine-format';
import { useEngine } from './use-engine';

export interface ModelSettingsFormProps {
  /** A local model id (`local/name`). */
  modelId: string;
  /** Loaded now: the button hot-swaps this model's settings (it loads again). */
  loaded: boolean;
}

/**
 * One model's engine settings: starts from the effective ones (the `engine:` defaults and its
 * `engine.models.<id>` override in switchboard.yaml) and loads the model with what is typed here.
 * The KV cache type sits behind "Advanced".
 */
export function ModelSettingsForm({ modelId, loaded }: ModelSettingsFormProps) {
  const view = useEngine((s) => s.settings[modelId] ?? null);
  const loadSettings = useEngine((s) => s.loadSettings);
  const load = useEngine((s) => s.load);
  const busy = useEngine((s) => s.busy[modelId] ?? null);
  const [fields, setFields] = useState<SettingsFields | null>(null);
  const [advanced, setAdvanced] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    void loadSettings(modelId);
  }, [loadSettings, modelId]);
  useEffect(() => {
    if (view === null) return;
    setFields(fieldsFrom(view.effective));
    if (view.effective.kvCacheType !== undefined) setAdvanced(true);
  }, [view]);
  if (fields === null || view === null) return <p className="engine-muted">Reading {modelId}'s settings…</p>;

  const field = (name: keyof SettingsFields) => (event: { target: { value: string } }) => setFields({ ...fields, [name]: event.target.value });
  const placeholder = (name: keyof typeof view.defaults, fallback: string) => {
    const value = view.defaults[name];
    return value === undefined ? fallback : `${String(value)} (default)`;
  };
  const submit = () => {
    const parsed = parseSettingsFields(fields, advanced);
    if (!parsed.ok) return setProblem(parsed.problem);
    setProblem(null);
    void load(modelId, parsed.settings);
  };

  return (
    <form
      className="engine-settings"
      data-testid={`engine-settings-${modelId}`}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label className="engine-settings__field">
        GPU layers
        <input value={fields.gpuLayers} onChange={field('gpuLayers')} placeholder={placeholder('gpuLayers', 'auto')} aria-describedby={`${modelId}-layers-help`} />
        <small id={`${modelId}-layers-help`}>auto, max, or a number</small>
      </label>
      <label className="engine-settings__field">
        Context size
        <input value={fields.contextSize} onChange={field('contextSize')} placeholder={placeholder('contextSize', 'up to 8192')} />
      </label>
      <label className="engine-settings__field">
        Threads
        <input value={fields.threads} onChange={field('threads')} placeholder={placeholder('threads', 'auto')} />
      </label>
      <label className="engine-settings__field">
        Flash attention
        <select value={fields.flashAttention} onChange={field('flashAttention')}>
          <option value="">default</option>
          <option value="on">on</option>
          <option value="off">off</option>
        </select>
      </label>
      <label className="engine-settings__toggle">
        <input type="checkbox" checked={advanced} onChange={(event) => setAdvanced(event.target.checked)} data-testid="engine-settings-advanced" />
        Advanced
      </label>
      {advanced && (
        <label className="engine-settings__field">
          KV cache type
          <select value={fields.kvCacheType} onChange={field('kvCacheType')} data-testid="engine-settings-kv">
            <option value="">default (f16)</option>
            {KV_CACHE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
                {t.startsWith('q') ? ' (needs flash attention)' : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="engine-settings__actions">
        <button type="submit" className="button button--primary" disabled={busy !== null} data-testid="engine-settings-load">
          {busy === 'load' ? 'Loading…' : loaded ? 'Reload with these settings' : 'Load with these settings'}
        </button>
        {Object.keys(view.override).length > 0 && <span className="engine-muted">engine.models.{modelId} in switchboard.yaml applies</span>}
      </div>
      {problem !== null && (
        <p className="engine-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
