import { useEffect } from 'react';
import { useSettings } from '../../stores/context';
import { AssistantsSection } from '../assistants/AssistantsSection';
import { BudgetsSection } from './BudgetsSection';
import { DataSection } from './DataSection';
import { EngineSection } from './EngineSection';
import { GatewaySection } from './GatewaySection';
import { GroupsSection } from './GroupsSection';
import { ProvidersSection } from './ProvidersSection';
import './settings.css';

/**
 * Settings: providers (keys to the key store), routes, budgets, engine defaults, the gateway, folders. Every
 * save is validated by the host with the config schema and written to switchboard.yaml keeping
 * its comments; a refused one says which setting is wrong, beside its section.
 */
export function SettingsPage() {
  const status = useSettings((s) => s.status);
  const loadError = useSettings((s) => s.loadError);
  const configErrors = useSettings((s) => s.view?.configErrors ?? null);
  const configPath = useSettings((s) => s.view?.configPath ?? 'switchboard.yaml');
  const load = useSettings((s) => s.load);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="page settings-page" data-testid="page-settings" aria-labelledby="settings-title">
      <h2 id="settings-title" className="page__title">
        Settings
      </h2>
      {status === 'loading' && <p className="settings-soft">Loading…</p>}
      {loadError !== null && (
        <p className="settings-error" role="alert">
          {loadError}
        </p>
      )}
      {configErrors !== null && (
        <div className="settings-warning" role="alert" data-testid="config-errors">
          {configPath} has problems; the last good config stays in force until they are fixed:
          <ul>
            {configErrors.map((issue) => (
              <li key={`${issue.path}:${issue.message}`}>
                {issue.path !== '' && <code>{issue.path}</code>} {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ProvidersSection />
      <GroupsSection />
      <AssistantsSection />
      <BudgetsSection />
      <EngineSection />
      <GatewaySection />
      <DataSection />
    </section>
  );
}
