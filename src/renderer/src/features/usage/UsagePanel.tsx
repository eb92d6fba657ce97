import { useUsage } from '../../stores/context';
import { formatCount, shortModelName } from '../chat/format';

/** Totals since the data dir was created, refreshed after every send. */
export function UsagePanel() {
  const summary = useUsage((s) => s.summary);
  const error = useUsage((s) => s.error);
  const totals = summary?.totals;

  return (
    <section className="usage" data-testid="usage-panel" aria-labelledby="usage-title">
      <h2 id="usage-title" className="usage__title">
        Usage
      </h2>
      {error !== null && (
        <p className="usage__error" role="alert">
          {error}
        </p>
      )}
      <dl className="usage__totals">
        <div>
          <dt>Calls</dt>
          <dd data-testid="usage-calls">{formatCount(totals?.calls)}</dd>
        </div>
        <div>
          <dt>Tokens in</dt>
          <dd data-testid="usage-input-tokens">{formatCount(totals?.inputTokens)}</dd>
        </div>
        <div>
          <dt>Tokens out</dt>
          <dd data-testid="usage-output-tokens">{formatCount(totals?.outputTokens)}</dd>
        </div>
      </dl>
      {summary !== null && summary.byModel.length > 0 && (
        <table className="usage__models" data-testid="usage-by-model">
          <caption className="visually-hidden">Usage by model</caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Calls</th>
              <th scope="col">In</th>
              <th scope="col">Out</th>
            </tr>
          </thead>
          <tbody>
            {summary.byModel.map((row) => (
              <tr key={`${row.provider}/${row.model}`} data-testid="usage-model-row" data-model={row.model}>
                <th scope="row" title={`${row.provider} · ${row.model}`}>
                  {row.provider === 'local' ? shortModelName(row.model) : `${row.provider}/${row.model}`}
                </th>
                <td>{formatCount(row.calls)}</td>
                <td>{formatCount(row.inputTokens)}</td>
                <td>{formatCount(row.outputTokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
