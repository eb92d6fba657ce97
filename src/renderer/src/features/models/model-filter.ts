import type { SelectableModel } from '../../../../shared/domain';
import type { BrowseFilters, CapabilityFilter, SortKey } from '../../stores/model-browser-store';

/** Each sort has the direction people want from it; unknown values always go last. */
export const SORTS: readonly { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'provider', label: 'Provider' },
  { key: 'context', label: 'Context (largest first)' },
  { key: 'price', label: 'Price (cheapest first)' },
  { key: 'size', label: 'File size (largest first)' },
];

export const CAPABILITIES: readonly Exclude<CapabilityFilter, 'any'>[] = ['vision', 'tools', 'reasoning'];

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function haystack(model: SelectableModel): string {
  const file = model.file;
  return [model.displayName, model.ref, model.provider, model.providerType, file?.architecture, file?.quantization]
    .filter((part): part is string => typeof part === 'string')
    .join(' ')
    .toLowerCase();
}

/** What a million tokens cost in and out together; null when either is unknown. Local runs cost nothing. */
export function pricePerMillion(model: SelectableModel): number | null {
  if (model.runsLocally) return 0;
  const prices = model.prices;
  if (prices === null || prices.input === null || prices.output === null) return null;
  return prices.input + prices.output;
}

/** Compares known numbers in `direction`, with null (unknown) after every known value. */
function byNumber(a: number | null, b: number | null, direction: 1 | -1): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return (a - b) * direction;
}

function compare(key: SortKey, a: SelectableModel, b: SelectableModel): number {
  switch (key) {
    case 'name':
      return collator.compare(a.displayName, b.displayName);
    case 'provider':
      return collator.compare(a.provider, b.provider);
    case 'context':
      return byNumber(a.contextWindow, b.contextWindow, -1);
    case 'price':
      return byNumber(pricePerMillion(a), pricePerMillion(b), 1);
    case 'size':
      return byNumber(a.file?.sizeBytes ?? null, b.file?.sizeBytes ?? null, -1);
  }
}

export function matches(model: SelectableModel, filters: BrowseFilters): boolean {
  if (filters.provider !== null && model.provider !== filters.provider) return false;
  if (filters.location === 'local' && !model.runsLocally) return false;
  if (filters.location === 'cloud' && model.runsLocally) return false;
  if (filters.capability !== 'any' && model.capabilities[filters.capability] !== true) return false;
  const words = filters.query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = haystack(model);
  return words.every((word) => text.includes(word));
}

/** The models that pass the filters, sorted (ties by name, then ref, so the order is stable). */
export function browseModels(models: readonly SelectableModel[], filters: BrowseFilters): SelectableModel[] {
  return models
    .filter((model) => matches(model, filters))
    .sort((a, b) => compare(filters.sort, a, b) || collator.compare(a.displayName, b.displayName) || collator.compare(a.ref, b.ref));
}

/** True when any filter narrows the list (so an empty result can say "no match" rather than "nothing here"). */
export function isFiltered(filters: BrowseFilters): boolean {
  return filters.query.trim() !== '' || filters.provider !== null || filters.capability !== 'any' || filters.location !== 'all';
}
