import { useEffect, useMemo, useRef, useState } from 'react';
import type { SelectableModel } from '../../../../shared/domain';
import { useLibrary, useModelBrowser, useModels } from '../../stores/context';
import { EnginePanel } from '../engine/EnginePanel';
import { ConfirmDeleteDialog } from './ConfirmDeleteDialog';
import { HubSearch } from './HubSearch';
import { LocalModelsTable } from './LocalModelsTable';
import { ModelFilters } from './ModelFilters';
import { OllamaPull } from './OllamaPull';
import { OnboardingCard } from './OnboardingCard';
import { ProviderModelsTable } from './ProviderModelsTable';
import { browseModels, isFiltered } from './model-filter';
import { useFileDrop } from './use-file-drop';
import './models.css';

/**
 * The model browser: the GGUF files on this machine with their metadata and fit, and every
 * configured provider's models with context, prices and capabilities, under one search, filter
 * and sort; Hugging Face search to download more; delete a file; drop a .gguf to import it.
 */
export function ModelsPage() {
  const items = useModels((s) => s.items);
  const groups = useModels((s) => s.groups);
  const status = useModels((s) => s.status);
  const error = useModels((s) => s.error);
  const refresh = useModels((s) => s.refresh);
  const filters = useModelBrowser((s) => s.filters);
  const resetFilters = useModelBrowser((s) => s.resetFilters);
  const notice = useLibrary((s) => s.notice);
  const importing = useLibrary((s) => s.importing);
  const importFiles = useLibrary((s) => s.importFiles);
  const deleteModel = useLibrary((s) => s.deleteModel);
  const dismissNotice = useLibrary((s) => s.dismissNotice);
  const [toDelete, setToDelete] = useState<SelectableModel | null>(null);
  const [engineFocus, setEngineFocus] = useState<string | undefined>(undefined);
  const [engineOpen, setEngineOpen] = useState(false);
  const engineRef = useRef<HTMLDetailsElement>(null);
  const dragging = useFileDrop(importFiles);

  // The folder may have changed since the app started (a copied file, a finished download).
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const shown = useMemo(() => browseModels(items, filters), [items, filters]);
  const local = shown.filter((m) => m.provider === 'local');
  const remote = shown.filter((m) => m.provider !== 'local');
  const localTotal = items.filter((m) => m.provider === 'local').length;
  // the engine panel opens on a model it can load, never on a broken file
  const firstUsable = items.find((m) => m.provider === 'local' && m.error === null)?.ref;
  const remoteConfigured = groups.some((g) => g.provider !== 'local');
  const failed = groups.filter((g) => g.error !== null);
  const filtered = isFiltered(filters);
  // Ollama's models run locally too, so "on this machine" can still show the providers' section.
  const showLocal = filters.location !== 'cloud' && (filters.provider === null || filters.provider === 'local');
  const showRemote = filters.provider !== 'local' && (filters.location !== 'local' || remote.length > 0);
  const firstRun = status === 'ready' && localTotal === 0 && !remoteConfigured;

  return (
    <section className="page models-page" data-testid="page-models" aria-labelledby="models-title">
      <header className="models-page__head">
        <h2 id="models-title" className="page__title">
          Models
        </h2>
        <button
          type="button"
          className="button"
          data-testid="models-refresh"
          onClick={() => void refresh({ force: true })}
          disabled={status === 'loading'}
          title="Rescan the models folders and ask each provider for its models again"
        >
          {status === 'loading' ? 'Refreshing…' : 'Refresh'}
        </button>
      </header>

      {error !== null && (
        <p className="models-page__error" role="alert" data-testid="models-error">
          Could not list models: {error}
        </p>
      )}
      {(notice !== null || importing) && (
        <p
          className={notice?.kind === 'error' ? 'models-page__error library-notice' : 'models-page__notice library-notice'}
          role={notice?.kind === 'error' ? 'alert' : 'status'}
          data-testid="library-notice"
          data-kind={notice?.kind ?? 'busy'}
        >
          {importing ? 'Importing…' : notice?.text}
          {notice !== null && (
            <button type="button" className="button button--quiet" aria-label="Dismiss" onClick={dismissNotice}>
              ×
            </button>
          )}
        </p>
      )}

      {firstRun && <OnboardingCard />}
      <HubSearch />
      <OllamaPull />

      <h3 className="models-page__subtitle">Your models</h3>
      <ModelFilters shown={shown.length} total={items.length} />

      {failed.length > 0 && (
        <ul className="models-page__problems" aria-label="Providers whose model list failed">
          {failed.map((g) => (
            <li key={g.provider} data-testid="models-provider-error" data-provider={g.provider}>
              <strong>{g.provider}</strong> could not list its models: {g.error?.message}
              {g.models.length > 0 && ' (showing the catalog’s models instead)'}
            </li>
          ))}
        </ul>
      )}

      {showLocal && (
        <section className="models-section" aria-labelledby="local-models-title">
          <h3 id="local-models-title" className="models-section__title">
            On this machine <span className="models-section__count">{local.length}</span>
          </h3>
          {local.length > 0 ? (
            <LocalModelsTable
              models={local}
              onDelete={setToDelete}
              onEngineSettings={(model) => {
                setEngineFocus(model.ref);
                setEngineOpen(true);
                engineRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
              }}
            />
          ) : localTotal === 0 && status !== 'loading' ? (
            <p className="models-empty" data-testid="local-models-empty">
              No GGUF files yet. Download one from Hugging Face above, drop a <code>.gguf</code> file onto this window, or put one in the data
              dir’s <code>models/</code> folder (or a folder listed under <code>models.folders</code> in <code>switchboard.yaml</code>) and
              Refresh.
            </p>
          ) : (
            <p className="models-empty">{status === 'loading' ? 'Loading…' : 'No local model matches the filters.'}</p>
          )}
          {localTotal > 0 && (
            <details
              ref={engineRef}
              className="models-engine"
              data-testid="models-engine"
              open={engineOpen}
              onToggle={(event) => setEngineOpen(event.currentTarget.open)}
            >
              <summary>Engine: loaded models, GPU, load settings</summary>
              {engineOpen && <EnginePanel focusModel={engineFocus ?? firstUsable} />}
            </details>
          )}
        </section>
      )}

      {showRemote && (
        <section className="models-section" aria-labelledby="provider-models-title">
          <h3 id="provider-models-title" className="models-section__title">
            From providers <span className="models-section__count">{remote.length}</span>
          </h3>
          {remote.length > 0 ? (
            <ProviderModelsTable models={remote} />
          ) : !remoteConfigured ? (
            <p className="models-empty" data-testid="provider-models-empty">
              No provider is configured. Add one under <code>providers:</code> in <code>switchboard.yaml</code> (OpenAI, Anthropic, OpenRouter, Ollama,
              any OpenAI-compatible server…).
            </p>
          ) : (
            <p className="models-empty">No provider model matches the filters.</p>
          )}
        </section>
      )}

      {filtered && shown.length === 0 && items.length > 0 && (
        <p className="models-empty" data-testid="models-no-match">
          Nothing matches.{' '}
          <button type="button" className="button button--link" onClick={resetFilters}>
            Clear the filters
          </button>
        </p>
      )}

      {toDelete !== null && (
        <ConfirmDeleteDialog model={toDelete} onConfirm={() => void deleteModel(toDelete.ref)} onClose={() => setToDelete(null)} />
      )}
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
          Drop .gguf files to add them to your models
        </div>
      )}
    </section>
  );
}
