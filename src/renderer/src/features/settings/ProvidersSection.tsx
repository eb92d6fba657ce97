import { useState } from 'react';
import type { ProviderTypeInfo, SettingValue, SettingsProvider } from '../../../../shared/contract';
import { useSettings } from '../../stores/context';
import { FormActions, FormField } from './FormField';
import { SectionError } from './SectionError';

const KEY_SOURCES = { store: 'in the key store', env: 'from the environment', file: 'written in switchboard.yaml (plain text)' } as const;

/** Configured providers: add, edit, remove, test the connection. Keys are typed here and never shown again. */
export function ProvidersSection() {
  const view = useSettings((s) => s.view);
  const tests = useSettings((s) => s.tests);
  const testProvider = useSettings((s) => s.testProvider);
  const removeProvider = useSettings((s) => s.removeProvider);
  const [editing, setEditing] = useState<{ provider: SettingsProvider | null } | null>(null);
  if (view === null) return null;

  return (
    <section className="settings-section" aria-labelledby="settings-providers" data-testid="settings-providers">
      <header className="settings-section__head">
        <h3 id="settings-providers">Providers</h3>
        <button type="button" className="button" data-testid="provider-add" onClick={() => setEditing({ provider: null })} disabled={editing !== null}>
          Add provider
        </button>
      </header>
      <p className="settings-note">
        Keys are kept in {view.secrets.backend}; switchboard.yaml refers to them as <code>{'${NAME}'}</code>.
      </p>
      {view.secrets.problem !== null && <p className="settings-warning">{view.secrets.problem}</p>}
      <SectionError section="providers" />
      {editing !== null && <ProviderForm provider={editing.provider} types={view.providerTypes} onDone={() => setEditing(null)} />}
      <ul className="settings-list">
        {view.providers.map((p) => {
          const test = tests[p.name];
          return (
            <li key={p.name} className="settings-row" data-testid="provider-row" data-provider={p.name}>
              <div className="settings-row__main">
                <strong>{p.name}</strong> <span className="settings-tag">{p.type}</span>
                {p.builtIn && <span className="settings-soft"> built-in engine</span>}
                {typeof p.values.baseURL === 'string' && <span className="settings-soft"> {p.values.baseURL}</span>}
                <div className="settings-soft">
                  {p.key.set ? (
                    <>
                      key <code data-testid="provider-key-hint">{p.key.hint}</code> {p.key.source !== null && KEY_SOURCES[p.key.source]}
                      {p.key.secretName !== null && <> as {p.key.secretName}</>}
                    </>
                  ) : (
                    !p.builtIn && p.type !== 'mock' && 'no key'
                  )}
                </div>
                {p.problem !== null && <div className="settings-warning">{p.problem}</div>}
                {test !== undefined && (
                  <div className="settings-test" data-testid="provider-test-result" data-ok={test === null ? undefined : String(test.ok)}>
                    {test === null
                      ? 'Testing…'
                      : test.ok
                        ? `Connected in ${Math.round(test.latencyMs)} ms${test.detail !== null ? ` · ${test.detail}` : ''}`
                        : `Failed (${test.kind}): ${test.message}`}
                  </div>
                )}
              </div>
              <div className="settings-row__actions">
                <button type="button" className="button button--small" data-testid="provider-test" onClick={() => void testProvider(p.name)} disabled={test === null}>
                  Test connection
                </button>
                {!p.builtIn && (
                  <>
                    <button type="button" className="button button--small" data-testid="provider-edit" onClick={() => setEditing({ provider: p })} disabled={editing !== null}>
                      Edit
                    </button>
                    <button
                      type="button"
                      className="button button--small button--danger"
                      data-testid="provider-remove"
                      onClick={() => {
                        if (window.confirm(`Remove the provider ${p.name} from switchboard.yaml?`)) void removeProvider(p.name);
                      }}
                    >
                      Remove
                    </button>
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ProviderForm(props: { provider: SettingsProvider | null; types: ProviderTypeInfo[]; onDone: () => void }) {
  const saveProvider = useSettings((s) => s.saveProvider);
  const saving = useSettings((s) => s.saving);
  const clearError = useSettings((s) => s.clearError);
  const existing = props.provider;
  const [name, setName] = useState(existing?.name ?? '');
  const [type, setType] = useState(existing?.type ?? props.types[0]?.type ?? 'openai');
  const [values, setValues] = useState<Record<string, SettingValue>>(existing?.values ?? {});
  const [apiKey, setApiKey] = useState('');
  const [clearKey, setClearKey] = useState(false);
  const info = props.types.find((t) => t.type === type);

  const submit = async () => {
    // every field of the type is sent: an emptied one is removed from the file
    const sent: Record<string, SettingValue | null> = {};
    for (const field of info?.fields ?? []) sent[field.key] = values[field.key] ?? null;
    const ok = await saveProvider({
      name: name.trim(),
      type,
      values: sent,
      ...(apiKey !== '' && { apiKey }),
      ...(clearKey && apiKey === '' && { clearKey: true }),
    });
    if (ok) props.onDone();
  };

  return (
    <form
      className="settings-form"
      data-testid="provider-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="settings-grid">
        <FormField label="Name">
          <input data-testid="provider-name" value={name} onChange={(e) => setName(e.target.value)} disabled={existing !== null} required placeholder="openai" />
        </FormField>
        <FormField label="Type">
          <select
            data-testid="provider-type"
            value={type}
            onChange={(e) => {
              setType(e.target.value);
              if (existing === null || e.target.value !== existing.type) setValues({});
            }}
          >
            {props.types.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
        </FormField>
        {info?.fields.map((field) =>
          field.kind === 'boolean' ? (
            <FormField key={field.key} check label={field.label}>
              <input
                type="checkbox"
                data-testid={`provider-field-${field.key}`}
                checked={values[field.key] === true}
                onChange={(e) => setValues({ ...values, [field.key]: e.target.checked })}
              />
            </FormField>
          ) : (
            <FormField key={field.key} label={`${field.label}${field.required ? ' *' : ''}`}>
              <input
                data-testid={`provider-field-${field.key}`}
                type={field.kind === 'number' ? 'number' : field.kind === 'url' ? 'url' : 'text'}
                value={values[field.key] === undefined ? '' : String(values[field.key])}
                placeholder={field.help ?? ''}
                required={field.required}
                onChange={(e) => {
                  const text = e.target.value;
                  setValues({ ...values, [field.key]: field.kind === 'number' && text !== '' ? Number(text) : text });
                }}
              />
            </FormField>
          ),
        )}
        {info?.key.supported && (
          <FormField label="API key">
            <input
              data-testid="provider-api-key"
              type="password"
              autoComplete="off"
              value={apiKey}
              onChange={(e) => setApiKey(e.target.value)}
              placeholder={existing?.key.set ? `${existing.key.hint ?? 'set'}: leave empty to keep it` : info.key.envVar !== null ? `or set ${info.key.envVar}` : ''}
            />
          </FormField>
        )}
        {info?.key.supported && existing?.key.set && existing.key.source !== 'env' && (
          <FormField check label="Remove the key">
            <input type="checkbox" checked={clearKey} onChange={(e) => setClearKey(e.target.checked)} disabled={apiKey !== ''} />
          </FormField>
        )}
      </div>
      <FormActions
        saveTestId="provider-save"
        disabled={saving || name.trim() === ''}
        onCancel={() => {
          clearError();
          props.onDone();
        }}
      />
    </form>
  );
}
