import type { ProviderModels, SelectableModel } from '../../../../shared/domain';

const MB = 1024 ** 2;

/** The optgroup's label: `Local`, or the provider's name and its adapter type (`try · mock`). */
export function groupLabel(group: Pick<ProviderModels, 'provider' | 'providerType' | 'builtIn'>): string {
  if (group.builtIn || group.provider === 'local') return 'Local';
  return group.provider === group.providerType ? group.provider : `${group.provider} · ${group.providerType}`;
}

/** The option's text: the model's name, marked when it can't be used. */
export function optionLabel(model: Pick<SelectableModel, 'displayName' | 'error'>): string {
  return model.error === null ? model.displayName : `${model.displayName} (unavailable)`;
}

/** "128k" from 128000, "1M" from 1047576. */
export function formatContext(tokens: number): string {
  if (tokens >= 1_000_000) return `${+(tokens / 1_000_000).toFixed(1)}M`;
  if (tokens >= 1_000) return `${Math.round(tokens / 1_000)}k`;
  return String(tokens);
}

const usd = (n: number) => `$${n < 0.01 && n > 0 ? n.toPrecision(2) : +n.toFixed(2)}`;

/** The option's tooltip: what the file or the catalog knows about the model. */
export function describeModel(model: SelectableModel): string {
  if (model.file !== null) {
    const f = model.file;
    const size = `${(f.sizeBytes / MB).toFixed(f.sizeBytes < 10 * MB ? 1 : 0)} MB`;
    return [f.architecture, f.quantization, size].filter(Boolean).join(' · ');
  }
  const parts: string[] = [model.ref];
  if (model.contextWindow !== null) parts.push(`${formatContext(model.contextWindow)} context`);
  if (model.runsLocally) parts.push('free');
  else if (model.prices !== null && (model.prices.input !== null || model.prices.output !== null)) {
    parts.push(`${model.prices.input === null ? '?' : usd(model.prices.input)} in / ${model.prices.output === null ? '?' : usd(model.prices.output)} out per 1M tokens`);
  }
  const caps = (['vision', 'tools', 'reasoning'] as const).filter((c) => model.capabilities[c] === true);
  if (caps.length > 0) parts.push(caps.join(', '));
  return parts.join(' · ');
}
