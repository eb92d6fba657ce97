import { type FormEvent, useId, useState } from 'react';
import { useDownloads, useModels } from '../../stores/context';

/** Shown when an Ollama provider is configured: Ollama pulls a model itself, as a job in the download manager. */
export function OllamaPull() {
  const providers = useModels((s) =>
    s.groups
      .filter((g) => g.providerType === 'ollama')
      .map((g) => g.provider)
      .join('\n'),
  );
  const start = useDownloads((s) => s.start);
  const [model, setModel] = useState('');
  const [provider, setProvider] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const ids = { model: useId(), provider: useId() };
  if (providers === '') return null;
  const names = providers.split('\n');
  const chosen = names.includes(provider) ? provider : (names[0] as string);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = model.trim();
    if (name === '') {
      setOutcome({ ok: false, text: 'Type the name of an Ollama model, e.g. llama3.2 or qwen2.5:0.5b.' });
      return;
    }
    setBusy(true);
    const result = await start({ kind: 'ollama', model: name, provider: chosen });
    setBusy(false);
    setOutcome(result.ok ? { ok: true, text: `Pulling ${name} through ${chosen}: follow it on the Downloads page.` } : { ok: false, text: result.message });
  };

  return (
    <section className="models-section" data-testid="ollama-pull" aria-labelledby="ollama-title">
      <h3 id="ollama-title" className="models-section__title">
        Pull with Ollama
      </h3>
      <form className="model-filters" onSubmit={(event) => void submit(event)}>
        <div className="model-filters__field model-filters__field--grow">
          <label htmlFor={ids.model}>Model</label>
          <input
            id={ids.model}
            data-testid="ollama-model"
            placeholder="llama3.2, qwen2.5:0.5b…"
            value={model}
            onChange={(event) => {
              setModel(event.target.value);
              setOutcome(null);
            }}
          />
        </div>
        {names.length > 1 && (
          <div className="model-filters__field">
            <label htmlFor={ids.provider}>Ollama server</label>
            <select id={ids.provider} data-testid="ollama-provider" value={chosen} onChange={(event) => setProvider(event.target.value)}>
              {names.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="button" data-testid="ollama-pull-submit" disabled={busy}>
          {busy ? 'Starting…' : 'Pull'}
        </button>
      </form>
      {outcome !== null && (
        <p
          className={outcome.ok ? 'models-page__notice' : 'models-page__error'}
          role={outcome.ok ? 'status' : 'alert'}
          data-testid="ollama-pull-outcome"
        >
          {outcome.text}
          {outcome.ok && (
            <>
              {' '}
              <a href="#downloads">Open Downloads</a>
            </>
          )}
        </p>
      )}
    </section>
  );
}
