import { useModels } from '../../stores/context';

/** Shown when there is nothing to chat with yet: how to get a model. */
export function NoModelsState() {
  const refresh = useModels((s) => s.refresh);
  return (
    <section className="empty" data-testid="no-models" aria-labelledby="no-models-title">
      <h2 id="no-models-title">No local model yet</h2>
      <p>Switchboard runs GGUF models from the models folder in its data directory. To try it out, make a tiny test model:</p>
      <pre>
        <code>npx switchboard make-test-model &lt;dataDir&gt;/models/test.gguf</code>
      </pre>
      <p>
        Or copy any <code>.gguf</code> file into <code>&lt;dataDir&gt;/models/</code>. Then{' '}
        <button type="button" className="button button--link" onClick={() => void refresh()}>
          rescan the models folder
        </button>
        .
      </p>
    </section>
  );
}
