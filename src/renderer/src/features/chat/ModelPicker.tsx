import { type FormEvent, useId, useState } from 'react';
import type { RouteChoice } from '../../../../shared/contract';
import type { ProviderModels, SelectableModel } from '../../../../shared/domain';
import { useModels } from '../../stores/context';
import { isUsable } from '../../stores/models-store';
import { describeModel, groupLabel, optionLabel } from './model-labels';

/** The option that opens the "type a provider/model ref" form; never a model. */
const CUSTOM = '__custom__';

/**
 * Every selectable model, grouped by provider (local first), after the router's groups and aliases
 * ("Groups": names that route across deployments). Models that can't be used are listed disabled
 * with the reason; a provider whose list failed says why; "Custom model…" takes a typed
 * `provider/model` ref for a configured provider, or a group name.
 */
export function ModelPicker() {
  const groups = useModels((s) => s.groups);
  const items = useModels((s) => s.items);
  const routes = useModels((s) => s.routes);
  const customRefs = useModels((s) => s.customRefs);
  const selectedId = useModels((s) => s.selectedId);
  const status = useModels((s) => s.status);
  const error = useModels((s) => s.error);
  const select = useModels((s) => s.select);
  const refresh = useModels((s) => s.refresh);
  const [customOpen, setCustomOpen] = useState(false);
  const ids = { select: useId(), problems: useId() };
  // Broken models whose provider listed fine (local files, mostly); a provider's own failure is said once, below.
  const failed = new Set(groups.filter((g) => g.error !== null).map((g) => g.provider));
  const broken = items.filter((m) => !isUsable(m) && !failed.has(m.provider));
  const providerErrors = groups.filter((g) => g.error !== null);
  const hasProblems = broken.length > 0 || providerErrors.length > 0;
  const remoteConfigured = groups.some((g) => g.provider !== 'local');

  return (
    <div className="model-picker">
      <label htmlFor={ids.select} className="model-picker__label">
        Model
      </label>
      <select
        id={ids.select}
        data-testid="model-picker"
        value={selectedId ?? ''}
        disabled={groups.length === 0}
        aria-describedby={hasProblems ? ids.problems : undefined}
        onChange={(event) => {
          if (event.target.value === CUSTOM) setCustomOpen(true);
          else select(event.target.value);
        }}
      >
        {selectedId === null && (
          <option value="" disabled>
            {status === 'loading' ? 'Loading models…' : 'No usable model'}
          </option>
        )}
        {routes.length > 0 && <RouteGroup routes={routes} />}
        {groups.map((group) => (
          <ModelGroup key={group.provider} group={group} customRefs={customRefs.filter((ref) => ref.startsWith(`${group.provider}/`))} />
        ))}
        {(remoteConfigured || routes.length > 0) && (
          <option value={CUSTOM} data-testid="model-option-custom">
            Custom model…
          </option>
        )}
      </select>
      <button
        type="button"
        className="button button--quiet"
        data-testid="model-refresh"
        onClick={() => void refresh({ force: true })}
        disabled={status === 'loading'}
        aria-label="Refresh the model lists"
        title="Rescan the models folder and ask each provider for its models again"
      >
        ↻
      </button>
      {customOpen && <CustomModelForm onClose={() => setCustomOpen(false)} />}
      {error !== null && (
        <p className="model-picker__error" role="alert">
          Could not list models: {error}
        </p>
      )}
      {hasProblems && (
        <ul id={ids.problems} className="model-picker__problems" aria-label="Unavailable models">
          {providerErrors.map((group) => (
            <li key={`provider:${group.provider}`} data-testid="provider-error" data-provider={group.provider}>
              <strong>{group.provider}</strong> could not list its models: {group.error?.message}
              {group.models.length > 0 && ' (showing the catalog’s models instead)'}
            </li>
          ))}
          {broken.map((model) => (
            <li key={model.ref} data-testid="model-error" data-model-id={model.ref}>
              <strong>{model.displayName}</strong> can’t be used: {model.error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The router's names: a group routes across its deployments, an alias names a group or a model. */
function RouteGroup({ routes }: { routes: RouteChoice[] }) {
  return (
    <optgroup label="Groups" data-testid="route-group">
      {routes.map((route) => (
        <option key={route.name} value={route.name} data-testid="route-option" data-route={route.name} title={describeRoute(route)}>
          {route.kind === 'alias' ? `${route.name} → ${route.targets[0] ?? ''}` : route.name}
        </option>
      ))}
    </optgroup>
  );
}

function describeRoute(route: RouteChoice): string {
  if (route.kind === 'alias') return `alias of ${route.targets[0] ?? 'nothing'}`;
  if (route.targets.length === 0) return 'every configured deployment, in order';
  return `${route.strategy ?? 'ordered'} over ${route.targets.join(', ')}`;
}

function ModelGroup({ group, customRefs }: { group: ProviderModels; customRefs: string[] }) {
  return (
    <optgroup label={groupLabel(group)} data-testid="model-group" data-provider={group.provider}>
      {group.models.map((model) => (
        <ModelOption key={model.ref} model={model} />
      ))}
      {customRefs.map((ref) => (
        <option key={ref} value={ref} data-testid="model-option" data-model-id={ref} data-custom="true" title="typed by you (Custom model…)">
          {ref.slice(group.provider.length + 1)} (custom)
        </option>
      ))}
      {group.models.length === 0 && customRefs.length === 0 && (
        <option value={`__none__/${group.provider}`} disabled>
          {group.error !== null ? 'could not list models' : 'no models'}
        </option>
      )}
    </optgroup>
  );
}

function ModelOption({ model }: { model: SelectableModel }) {
  return (
    <option
      value={model.ref}
      data-testid="model-option"
      data-model-id={model.ref}
      data-provider={model.provider}
      disabled={!isUsable(model)}
      title={model.error ?? describeModel(model)}
    >
      {optionLabel(model)}
    </option>
  );
}

function CustomModelForm({ onClose }: { onClose: () => void }) {
  const selectCustom = useModels((s) => s.selectCustom);
  const groups = useModels((s) => s.groups);
  const providers = groups.filter((g) => g.provider !== 'local').map((g) => g.provider);
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { input: useId(), error: useId() };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const refused = selectCustom(value);
    setProblem(refused);
    if (refused === null) onClose();
  };

  return (
    <form className="model-picker__custom" data-testid="custom-model-form" onSubmit={submit} aria-label="Custom model">
      <label htmlFor={ids.input} className="visually-hidden">
        Custom model (provider/model, or a group name)
      </label>
      <input
        id={ids.input}
        data-testid="custom-model-input"
        value={value}
        placeholder={providers.length > 0 ? `${providers[0]}/model-id or a group` : 'a group name'}
        aria-invalid={problem !== null}
        aria-describedby={problem !== null ? ids.error : undefined}
        onChange={(event) => {
          setValue(event.target.value);
          setProblem(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
        autoFocus
      />
      <button type="submit" className="button" data-testid="custom-model-apply">
        Use
      </button>
      <button type="button" className="button button--quiet" data-testid="custom-model-cancel" onClick={onClose}>
        Cancel
      </button>
      {problem !== null && (
        <p id={ids.error} className="model-picker__error" data-testid="custom-model-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
