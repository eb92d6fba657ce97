import type { UsageDashboard } from '../../../../shared/contract';
import { useDashboard } from '../../stores/context';
import { formatCount } from '../chat/format';
import { formatUsd } from './chart-data';

/** What the local runs of the range would have cost at a chosen cloud model's prices. */
export function SavingsCard({ data }: { data: UsageDashboard }) {
  const setSavingsModel = useDashboard((s) => s.setSavingsModel);
  const { savings } = data;
  const tokensIn = savings.localTokens.inputNoCache + savings.localTokens.cacheRead + savings.localTokens.cacheWrite;
  const tokensOut = savings.localTokens.outputText + savings.localTokens.reasoning;
  return (
    <div className="dash-savings" data-testid="dash-savings">
      <p className="dash-savings__figure">
        <span data-testid="dash-savings-value" data-value={savings.costUsd ?? ''}>
          {savings.costUsd === null ? '—' : formatUsd(savings.costUsd)}
        </span>
        <span className="dash-savings__caption">saved by running locally</span>
      </p>
      <p className="dash-savings__detail" data-testid="dash-savings-detail">
        {formatCount(savings.localCalls)} local call{savings.localCalls === 1 ? '' : 's'} · {formatCount(tokensIn)} tokens in ·{' '}
        {formatCount(tokensOut)} out
        {savings.model !== null &&
          `, priced at $${savings.model.inputPerMillion} in / $${savings.model.outputPerMillion} out per 1M tokens`}
      </p>
      {savings.note !== null && <p className="dash-muted">{savings.note}</p>}
      <label className="dash-savings__pick">
        Price as
        <select data-testid="dash-savings-model" value={savings.model?.ref ?? ''} onChange={(e) => setSavingsModel(e.target.value)} disabled={savings.candidates.length === 0}>
          {savings.model === null && <option value="">choose a model</option>}
          {savings.candidates.map((c) => (
            <option key={c.ref} value={c.ref}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
