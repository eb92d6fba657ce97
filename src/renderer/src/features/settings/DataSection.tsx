import { useEffect, useState } from 'react';
import { useSettings } from '../../stores/context';
import { FormField } from './FormField';
import { SectionError } from './SectionError';

/** Where things live: the data dir, the config file, extra model folders; and the window's close behaviour. */
export function DataSection() {
  const view = useSettings((s) => s.view);
  const saveModelFolders = useSettings((s) => s.saveModelFolders);
  const saveApp = useSettings((s) => s.saveApp);
  const saving = useSettings((s) => s.saving);
  const [folders, setFolders] = useState('');
  useEffect(() => {
    if (view !== null) setFolders(view.modelFolders.join('\n'));
  }, [view]);
  if (view === null) return null;

  return (
    <section className="settings-section" aria-labelledby="settings-data" data-testid="settings-data">
      <header className="settings-section__head">
        <h3 id="settings-data">Data and app</h3>
      </header>
      <SectionError section="data" />
      <dl className="settings-facts">
        <dt>Data folder</dt>
        <dd>
          <code data-testid="settings-data-dir">{view.dataDir}</code>
        </dd>
        <dt>Config file</dt>
        <dd>
          <code>{view.configPath}</code>
        </dd>
      </dl>
      <form
        className="settings-form settings-form--flat"
        onSubmit={(event) => {
          event.preventDefault();
          void saveModelFolders(folders.split('\n').map((f) => f.trim()).filter((f) => f !== ''));
        }}
      >
        <FormField wide label="Extra model folders, one per line (scanned for .gguf besides the data folder’s models/; read at start)">
          <textarea data-testid="model-folders" rows={2} value={folders} onChange={(e) => setFolders(e.target.value)} placeholder="~/models" />
        </FormField>
        {view.missingModelFolders.length > 0 && (
          <p className="settings-warning" role="status" data-testid="model-folders-missing">
            Not found on this machine, so no models are read from {view.missingModelFolders.length === 1 ? 'it' : 'them'}:{' '}
            {view.missingModelFolders.map((folder, i) => (
              <span key={folder}>
                {i > 0 && ', '}
                <code>{folder}</code>
              </span>
            ))}
            . Create {view.missingModelFolders.length === 1 ? 'that folder' : 'those folders'} (then restart) or remove {view.missingModelFolders.length === 1 ? 'it' : 'them'} here.
          </p>
        )}
        <div className="settings-form__actions">
          <button type="submit" className="button" data-testid="model-folders-save" disabled={saving}>
            Save folders
          </button>
        </div>
      </form>
      <FormField check label="Closing the window keeps Switchboard running in the tray (desktop app)">
        <input type="checkbox" data-testid="hide-to-tray" checked={view.app.hideToTray} onChange={(e) => void saveApp({ hideToTray: e.target.checked })} />
      </FormField>
    </section>
  );
}
