import type { SelectableModel } from '../../../../shared/domain';
import { formatContext } from '../chat/model-labels';
import { formatPrice } from './format';
import { CAPABILITIES } from './model-filter';

const SOURCE_LABEL: Record<SelectableModel['source'], string> = {
  live: 'listed by the provider',
  catalog: 'from the price catalog',
  offered: 'offered by the mock',
  local: 'local file',
};

/** The configured providers' models: context, price per million tokens and capabilities. */
export function ProviderModelsTable({ models }: { models: SelectableModel[] }) {
  return (
    <div className="models-table__scroll">
      <table className="models-table" data-testid="provider-models">
        <caption className="visually-hidden">Models of the configured providers</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Provider</th>
            <th scope="col" className="models-table__num">
              Context
            </th>
            <th scope="col" className="models-table__num">
              <abbr title="US dollars per million input tokens">In / 1M</abbr>
            </th>
            <th scope="col" className="models-table__num">
              <abbr title="US dollars per million output tokens">Out / 1M</abbr>
            </th>
            <th scope="col">Capabilities</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <ProviderModelRow key={model.ref} model={model} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProviderModelRow({ model }: { model: SelectableModel }) {
  const free = model.runsLocally;
  return (
    <tr data-testid="provider-model-row" data-model-id={model.ref} data-provider={model.provider}>
      <th scope="row" className="models-table__name">
        <span>{model.displayName}</span>
        <span className="models-table__sub" title={SOURCE_LABEL[model.source]}>
          {model.ref}
        </span>
      </th>
      <td>
        {model.provider}
        {model.provider !== model.providerType && <span className="models-table__sub">{model.providerType}</span>}
      </td>
      <td className="models-table__num">{model.contextWindow === null ? '—' : formatContext(model.contextWindow)}</td>
      <td className="models-table__num" data-testid="model-price-in">
        {free ? 'free' : formatPrice(model.prices?.input)}
      </td>
      <td className="models-table__num" data-testid="model-price-out">
        {free ? 'free' : formatPrice(model.prices?.output)}
      </td>
      <td>
        <ul className="capabilities" aria-label="Capabilities">
          {CAPABILITIES.filter((c) => model.capabilities[c] === true).map((c) => (
            <li key={c} className="model-badge" data-testid="model-capability">
              {c}
            </li>
          ))}
          {free && <li className="model-badge model-badge--ok">runs locally</li>}
        </ul>
      </td>
      <td>
        {model.error === null ? (
          <span className="model-badge model-badge--ok">ready</span>
        ) : (
          <span className="model-badge model-badge--danger" data-testid="provider-model-error">
            {model.error}
          </span>
        )}
      </td>
    </tr>
  );
}
