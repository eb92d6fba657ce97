import './assistants.css';
import { useEffect, useId, useState } from 'react';
import type { AssistantView } from '../../../../shared/contract';
import { useAssistants, useModels } from '../../stores/context';
import { isUsable } from '../../stores/models-store';
import { FormActions, FormField } from '../settings/FormField';
import { type AssistantForm, NUMERIC_FIELDS, emptyForm, fieldOfPath, formOf, parseForm, summarize } from './assistant-form';

const EFFORTS = ['low', 'medium', 'high'] as const;

/**
 * Assistants in Settings: named presets of a system prompt, a model and parameters, kept in
 * switchboard.yaml's `assistants:` list. The host checks every save with the config schema
 * (ranges, unique names, a model chats can use) and says which field is wrong.
 */
export function AssistantsSection() {
  const assistants = useAssistants((s) => s.assistants);
  const status = useAssistants((s) => s.status);
  const loadError = useAssistants((s) => s.loadError);
  const load = useAssistants((s) => s.load);
  const remove = useAssistants((s) => s.remove);
  const error = useAssistants((s) => s.error);
  const clearError = useAssistants((s) => s.clearError);
  const [editing, setEditing] = useState<{ assistant: AssistantView | null } | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="settings-section" aria-labelledby="settings-assistants" data-testid="settings-assistants">
      <header className="settings-section__head">
        <h3 id="settings-assistants">Assistants</h3>
        <button
          type="button"
          className="button"
          data-testid="assistant-add"
          onClick={() => {
            clearError();
            setEditing({ assistant: null });
          }}
          disabled={editing !== null}
        >
          Add assistant
        </button>
      </header>
      <p className="settings-note">
        A system prompt, a model and parameters under one name, chosen per conversation in the chat. The prompt is sent first
        and never shown as a message; parameters set in the chat win over the assistant&apos;s.
      </p>
      {loadError !== null && (
        <p className="settings-error" role="alert">
          {loadError}
        </p>
      )}
      {error !== null && editing === null && (
        <div className="settings-error" role="alert" data-testid="assistants-error">
          <span>{error.message}</span>
          <button type="button" className="button button--quiet" aria-label="Dismiss" onClick={clearError}>
            ×
          </button>
        </div>
      )}
      {editing !== null && <AssistantEditor assistant={editing.assistant} onDone={() => setEditing(null)} />}
      {assistants.length === 0 ? (
        status === 'ready' && <p className="settings-soft">No assistants yet.</p>
      ) : (
        <ul className="assistant-list">
          {assistants.map((a) => (
            <li key={a.name} className="assistant-list__item" data-testid="assistant-row" data-name={a.name}>
              <div className="assistant-list__text">
                <strong>{a.name}</strong>
                <span className="settings-soft">{summarize(a)}</span>
                {a.system !== undefined && <span className="assistant-list__prompt">{a.system}</span>}
                {a.problem !== null && (
                  <span className="settings-field__error" data-testid="assistant-problem">
                    {a.problem}
                  </span>
                )}
              </div>
              <div className="settings-table__actions">
                <button
                  type="button"
                  className="button button--small"
                  data-testid="assistant-edit"
                  onClick={() => {
                    clearError();
                    setEditing({ assistant: a });
                  }}
                  disabled={editing !== null}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="button button--small button--danger"
                  data-testid="assistant-delete"
                  onClick={() => {
                    if (window.confirm(`Delete the assistant “${a.name}”? Conversations that use it keep working, without its prompt.`)) void remove(a.name);
                  }}
                >
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AssistantEditor(props: { assistant: AssistantView | null; onDone: () => void }) {
  const save = useAssistants((s) => s.save);
  const saving = useAssistants((s) => s.saving);
  const error = useAssistants((s) => s.error);
  const selectedModel = useModels((s) => s.selectedId);
  const items = useModels((s) => s.items);
  const routes = useModels((s) => s.routes);
  const listId = useId();
  const [form, setForm] = useState<AssistantForm>(props.assistant === null ? emptyForm(selectedModel ?? '') : formOf(props.assistant));
  const [problem, setProblem] = useState<{ field: keyof AssistantForm; message: string } | null>(null);
  const set = (key: keyof AssistantForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  // The host's refusal, under the field its path names (else above the buttons).
  const hostField = error === null ? null : (error.paths.map(fieldOfPath).find((f) => f !== null) ?? null);
  const errorFor = (field: keyof AssistantForm) =>
    problem?.field === field ? problem.message : hostField === field ? (error?.message ?? null) : null;

  const submit = async () => {
    const parsed = parseForm(form);
    if (!parsed.ok) return setProblem({ field: parsed.field, message: parsed.message });
    setProblem(null);
    if (await save(parsed.fields, props.assistant?.name)) props.onDone();
  };

  return (
    <form
      className="settings-form"
      data-testid="assistant-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="settings-grid">
        <FormField label="Name" error={errorFor('name')} errorTestId="assistant-field-error">
          <input data-testid="assistant-name" value={form.name} onChange={(e) => set('name')(e.target.value)} placeholder="Code reviewer" />
        </FormField>
        <FormField label="Model" error={errorFor('model')} errorTestId="assistant-field-error">
          <input data-testid="assistant-model" list={listId} value={form.model} onChange={(e) => set('model')(e.target.value)} placeholder="a group, provider/model or local model" />
          <datalist id={listId}>
            {routes.map((r) => (
              <option key={`route:${r.name}`} value={r.name} />
            ))}
            {items.filter(isUsable).map((m) => (
              <option key={m.ref} value={m.ref}>
                {m.displayName}
              </option>
            ))}
          </datalist>
        </FormField>
        <FormField label="System prompt" wide error={errorFor('system')} errorTestId="assistant-field-error">
          <textarea data-testid="assistant-system" rows={5} value={form.system} onChange={(e) => set('system')(e.target.value)} placeholder="You are…" />
        </FormField>
        {NUMERIC_FIELDS.map(({ key, label, hint }) => (
          <FormField key={key} label={label} error={errorFor(key)} errorTestId="assistant-field-error">
            <input data-testid={`assistant-${key}`} inputMode="decimal" value={form[key]} onChange={(e) => set(key)(e.target.value)} placeholder={`default (${hint})`} />
          </FormField>
        ))}
        <FormField label="Reasoning effort" error={errorFor('reasoningEffort')} errorTestId="assistant-field-error">
          <select data-testid="assistant-reasoningEffort" value={form.reasoningEffort} onChange={(e) => set('reasoningEffort')(e.target.value)}>
            <option value="">default</option>
            {EFFORTS.map((effort) => (
              <option key={effort} value={effort}>
                {effort}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="Stop sequences (one a line)" error={errorFor('stop')} errorTestId="assistant-field-error">
          <textarea data-testid="assistant-stop" rows={2} value={form.stop} onChange={(e) => set('stop')(e.target.value)} />
        </FormField>
      </div>
      {error !== null && hostField === null && (
        <p className="settings-error" role="alert" data-testid="assistants-error">
          {error.message}
        </p>
      )}
      <FormActions saveTestId="assistant-save" disabled={saving} onCancel={props.onDone} />
    </form>
  );
}
