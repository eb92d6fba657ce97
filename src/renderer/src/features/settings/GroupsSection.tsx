import { useState } from 'react';
import type { SettingsGroup } from '../../../../shared/contract';
import { useSettings } from '../../stores/context';
import { FormActions, FormField, FormProblem } from './FormField';
import { SectionError } from './SectionError';
import { formatDeployments, parseDeployments, parseList } from './settings-format';

const STRATEGIES = ['ordered', 'weighted', 'round-robin', 'lowest-cost', 'lowest-latency', 'least-busy'] as const;

/** Routes: model groups, their deployments, strategy and fallbacks. */
export function GroupsSection() {
  const view = useSettings((s) => s.view);
  const removeGroup = useSettings((s) => s.removeGroup);
  const [editing, setEditing] = useState<{ group: SettingsGroup | null } | null>(null);
  if (view === null) return null;
  return (
    <section className="settings-section" aria-labelledby="settings-groups" data-testid="settings-groups">
      <header className="settings-section__head">
        <h3 id="settings-groups">Routes</h3>
        <button type="button" className="button" data-testid="group-add" onClick={() => setEditing({ group: null })} disabled={editing !== null}>
          Add group
        </button>
      </header>
      <p className="settings-note">A group is a name you chat with; it tries its deployments by its strategy, then its fallbacks.</p>
      <SectionError section="groups" />
      {editing !== null && <GroupForm group={editing.group} onDone={() => setEditing(null)} />}
      {view.groups.length === 0 ? (
        <p className="settings-soft">No groups yet.</p>
      ) : (
        <ul className="settings-list">
          {view.groups.map((g) => (
            <li key={g.name} className="settings-row" data-testid="group-row" data-group={g.name}>
              <div className="settings-row__main">
                <strong>{g.name}</strong> <span className="settings-tag">{g.strategy ?? 'ordered'}</span>
                <div className="settings-soft">
                  {g.deployments.map((d) => `${d.provider}/${d.model}${d.weight !== undefined ? ` ×${d.weight}` : ''}`).join(' → ')}
                  {g.fallbacks.length > 0 && <> · then {g.fallbacks.join(', ')}</>}
                </div>
              </div>
              <div className="settings-row__actions">
                <button type="button" className="button button--small" onClick={() => setEditing({ group: g })} disabled={editing !== null}>
                  Edit
                </button>
                <button type="button" className="button button--small button--danger" onClick={() => void removeGroup(g.name)}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function GroupForm(props: { group: SettingsGroup | null; onDone: () => void }) {
  const saveGroup = useSettings((s) => s.saveGroup);
  const saving = useSettings((s) => s.saving);
  const existing = props.group;
  const [name, setName] = useState(existing?.name ?? '');
  const [strategy, setStrategy] = useState(existing?.strategy ?? '');
  const [deployments, setDeployments] = useState(existing === null ? '' : formatDeployments(existing.deployments));
  const [fallbacks, setFallbacks] = useState(existing?.fallbacks.join(', ') ?? '');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async () => {
    const parsed = parseDeployments(deployments);
    if (!parsed.ok) return setProblem(parsed.message);
    setProblem(null);
    const ok = await saveGroup({ name: name.trim(), strategy: strategy === '' ? null : strategy, deployments: parsed.deployments, fallbacks: parseList(fallbacks) });
    if (ok) props.onDone();
  };

  return (
    <form
      className="settings-form"
      data-testid="group-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="settings-grid">
        <FormField label="Name">
          <input data-testid="group-name" value={name} onChange={(e) => setName(e.target.value)} disabled={existing !== null} required placeholder="fast" />
        </FormField>
        <FormField label="Strategy">
          <select data-testid="group-strategy" value={strategy} onChange={(e) => setStrategy(e.target.value)}>
            <option value="">ordered (default)</option>
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </FormField>
        <FormField wide label="Deployments: one provider/model per line, optionally with a weight">
          <textarea data-testid="group-deployments" rows={3} value={deployments} onChange={(e) => setDeployments(e.target.value)} placeholder={'openai/gpt-4o-mini\nlocal/tiny'} />
        </FormField>
        <FormField wide label="Fallback groups (comma-separated)">
          <input data-testid="group-fallbacks" value={fallbacks} onChange={(e) => setFallbacks(e.target.value)} placeholder="smart" />
        </FormField>
      </div>
      <FormProblem problem={problem} />
      <FormActions saveTestId="group-save" disabled={saving || name.trim() === ''} onCancel={props.onDone} />
    </form>
  );
}
