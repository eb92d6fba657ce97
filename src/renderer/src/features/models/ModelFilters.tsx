import { useId } from 'react';
import { useModelBrowser, useModels } from '../../stores/context';
import type { CapabilityFilter, LocationFilter, SortKey } from '../../stores/model-browser-store';
import { CAPABILITIES, SORTS } from './model-filter';

const LOCATIONS: readonly { value: LocationFilter; label: string }[] = [
  { value: 'all', label: 'Local and cloud' },
  { value: 'local', label: 'Runs on this machine' },
  { value: 'cloud', label: 'Cloud' },
];

/** Search, filters and sort for the model browser; `shown`/`total` say how much they let through. */
export function ModelFilters({ shown, total }: { shown: number; total: number }) {
  const filters = useModelBrowser((s) => s.filters);
  const setFilters = useModelBrowser((s) => s.setFilters);
  const resetFilters = useModelBrowser((s) => s.resetFilters);
  const providers = useModels((s) => s.groups.map((g) => g.provider).join('\n'));
  const ids = { query: useId(), provider: useId(), capability: useId(), location: useId(), sort: useId() };

  return (
    <form className="model-filters" role="search" aria-label="Filter models" onSubmit={(event) => event.preventDefault()}>
      <div className="model-filters__field model-filters__field--grow">
        <label htmlFor={ids.query}>Search</label>
        <input
          id={ids.query}
          type="search"
          data-testid="models-search"
          placeholder="Name, provider, architecture, quantization…"
          value={filters.query}
          onChange={(event) => setFilters({ query: event.target.value })}
        />
      </div>
      <div className="model-filters__field">
        <label htmlFor={ids.provider}>Provider</label>
        <select
          id={ids.provider}
          data-testid="models-filter-provider"
          value={filters.provider ?? ''}
          onChange={(event) => setFilters({ provider: event.target.value === '' ? null : event.target.value })}
        >
          <option value="">All providers</option>
          {providers
            .split('\n')
            .filter(Boolean)
            .map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
        </select>
      </div>
      <div className="model-filters__field">
        <label htmlFor={ids.capability}>Can do</label>
        <select
          id={ids.capability}
          data-testid="models-filter-capability"
          value={filters.capability}
          onChange={(event) => setFilters({ capability: event.target.value as CapabilityFilter })}
        >
          <option value="any">Anything</option>
          {CAPABILITIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <div className="model-filters__field">
        <label htmlFor={ids.location}>Where</label>
        <select
          id={ids.location}
          data-testid="models-filter-location"
          value={filters.location}
          onChange={(event) => setFilters({ location: event.target.value as LocationFilter })}
        >
          {LOCATIONS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
      </div>
      <div className="model-filters__field">
        <label htmlFor={ids.sort}>Sort by</label>
        <select id={ids.sort} data-testid="models-sort" value={filters.sort} onChange={(event) => setFilters({ sort: event.target.value as SortKey })}>
          {SORTS.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <p className="model-filters__count" data-testid="models-count" aria-live="polite">
        {shown === total ? `${total} models` : `${shown} of ${total} models`}
        {shown !== total && (
          <>
            {' · '}
            <button type="button" className="button button--link" data-testid="models-clear-filters" onClick={resetFilters}>
              clear filters
            </button>
          </>
        )}
      </p>
    </form>
  );
}
