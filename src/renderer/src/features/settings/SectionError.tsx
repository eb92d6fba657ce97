import { useSettings } from '../../stores/context';
import type { SettingsSection } from './settings-store';

/** A refused save, beside the section it came from: the schema's message names the path. */
export function SectionError({ section }: { section: SettingsSection }) {
  const error = useSettings((s) => s.error);
  const clearError = useSettings((s) => s.clearError);
  if (error === null || error.section !== section) return null;
  return (
    <div className="settings-error" role="alert" data-testid="settings-error" data-paths={error.paths.join(' ')}>
      <span>{error.message}</span>
      <button type="button" className="button button--quiet" aria-label="Dismiss" onClick={clearError}>
        ×
      </button>
    </div>
  );
}
