/**
 * The catalog: per (provider, model) the context, max output, prices, capabilities, parameters and
 * wire transforms. Layers, lowest first: provider defaults from our overrides, the vendor's entry
 * (OpenRouter `vendor/model` ids borrow capabilities), @pydantic/genai-prices, OpenRouter's live
 * list, our pattern rules, our exact rules. Pure: data in, data out; the clock is injected.
 */
import bundledOverridesJson from '../../../resources/catalog-overrides.json';
import { findPackageModel, listPackageModelIds, type PackageModel } from './package-data';
import { convertOpenRouterModel, parseOpenRouterModels, type OpenRouterEntryData } from './openrouter-models';
import {
  parseCatalogOverrides,
  type CatalogOverrides,
  type OverrideRule,
  type ProviderDefaults,
} from './overrides-schema';
import {
  CALL_PARAMETERS,
  type CallParameter,
  type Catalog,
  type CatalogEntry,
  type CatalogSource,
  type ModelPrices,
} from './types';

/** Our overrides shipped in resources/catalog-overrides.json, validated. */
export const bundledOverrides: CatalogOverrides = parseCatalogOverrides(bundledOverridesJson);

export interface CreateCatalogOptions {
  /** Override layers, later wins. Default: the bundled resources/catalog-overrides.json. */
  overrides?: CatalogOverrides | readonly CatalogOverrides[];
  /** OpenRouter's `/api/v1/models` response (or its `data` array), as fetched. Validated here. */
  openRouterModels?: unknown;
  /** Prices that change over time (dated or time-of-day) are read at this instant. Default: now. */
  now?: () => Date;
}

const DATE_SUFFIXES = [/-\d{4}-\d{2}-\d{2}$/, /-\d{8}$/, /@\d{8}$/];

/** `gpt-4o-2024-08-06` → `gpt-4o`, `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`; undefined when undated. */
export function stripDateSuffix(modelId: string): string | undefined {
  for (const re of DATE_SUFFIXES) if (re.test(modelId)) return modelId.replace(re, '');
  return undefined;
}

/** OpenRouter vendor prefixes whose native catalog entries can lend capabilities. */
const OPENROUTER_VENDORS: Record<string, string> = { openai: 'openai', anthropic: 'anthropic', deepseek: 'deepseek' };

interface MergedOverrides {
  providers: Record<string, ProviderDefaults>;
  rules: OverrideRule[];
}

function mergeLayers(layers: readonly CatalogOverrides[]): MergedOverrides {
  const providers: Record<string, ProviderDefaults> = {};
  const rules: OverrideRule[] = [];
  for (const layer of layers) {
    for (const [name, defaults] of Object.entries(layer.providers)) {
      const prev = providers[name] ?? {};
      providers[name] = {
        ...prev,
        ...defaults,
        capabilities: { ...prev.capabilities, ...defaults.capabilities },
        transforms: { ...prev.transforms, ...defaults.transforms },
        parameterRanges: { ...prev.parameterRanges, ...defaults.parameterRanges },
      };
    }
    rules.push(...layer.models);
  }
  return { providers, rules };
}

interface Draft {
  entry: CatalogEntry;
  supported: Set<CallParameter> | undefined;
  unsupported: Set<CallParameter>;
}

function applyPrices(base: ModelPrices | undefined, over: ModelPrices): ModelPrices {
  return { ...base, ...over };
}

function applyRule(draft: Draft, rule: OverrideRule): void {
  const e = draft.entry;
  if (rule.displayName !== undefined) e.displayName = rule.displayName;
  if (rule.contextWindow !== undefined) e.contextWindow = rule.contextWindow;
  if (rule.maxOutputTokens !== undefined) e.maxOutputTokens = rule.maxOutputTokens;
  if (rule.prices) e.prices = applyPrices(e.prices, rule.prices);
  if (rule.capabilities) e.capabilities = { ...e.capabilities, ...rule.capabilities };
  if (rule.transforms) e.transforms = { ...e.transforms, ...rule.transforms };
  if (rule.parameterRanges) e.parameterRanges = { ...e.parameterRanges, ...rule.parameterRanges };
  if (rule.deprecated !== undefined) e.deprecated = rule.deprecated;
  if (rule.supportedParameters) {
    draft.supported = new Set(rule.supportedParameters);
    draft.unsupported.clear();
  }
  for (const p of rule.addParameters ?? []) {
    draft.supported?.add(p);
    draft.unsupported.delete(p);
  }
  for (const p of rule.unsupportedParameters ?? []) {
    draft.supported?.delete(p);
    draft.unsupported.add(p);
  }
}

function addSource(e: CatalogEntry, source: CatalogSource): void {
  if (!e.sources.includes(source)) e.sources.push(source);
}

export function createCatalog(options: CreateCatalogOptions = {}): Catalog {
  const layers = options.overrides === undefined ? [bundledOverrides] : ([] as CatalogOverrides[]).concat(options.overrides);
  const { providers, rules } = mergeLayers(layers);
  const now = options.now ?? (() => new Date());
  const live = new Map<string, OpenRouterEntryData>();
  if (options.openRouterModels !== undefined) {
    for (const model of parseOpenRouterModels(options.openRouterModels).models) live.set(model.id, convertOpenRouterModel(model));
  }
  const patterns = rules
    .filter((r) => r.pattern !== undefined)
    .map((r) => ({ rule: r, re: new RegExp(r.pattern as string) }));

  const ruleProviders = (provider: string): string[] => [provider, ...(providers[provider]?.rulesFrom ?? [])];

  const exactRule = (provider: string, id: string): OverrideRule | undefined => {
    // Later layers win, so search from the end.
    for (let i = rules.length - 1; i >= 0; i--) {
      const r = rules[i] as OverrideRule;
      if (ruleProviders(provider).includes(r.provider) && (r.id === id || r.aliases?.includes(id))) return r;
    }
    return undefined;
  };

  function lookupModel(provider: string, modelId: string, borrowVendor = true): CatalogEntry | undefined {
    const requested = modelId.trim();
    if (requested === '') return undefined;
    const defaults = providers[provider] ?? {};
    const local = defaults.local ?? false;
    const packageProvider = defaults.packageProvider;
    const at = now();

    let exact = exactRule(provider, requested);
    let pkg: PackageModel | undefined =
      packageProvider !== undefined ? findPackageModel(packageProvider, exact?.id ?? requested, at) : undefined;
    const liveData = provider === 'openrouter' ? live.get(requested) : undefined;
    if (!exact && !pkg && !liveData) {
      const undated = stripDateSuffix(requested);
      if (undated !== undefined) {
        exact = exactRule(provider, undated);
        if (packageProvider !== undefined) pkg = findPackageModel(packageProvider, exact?.id ?? undated, at);
      }
    }
    // A rule written for the canonical id applies to its dated snapshots too.
    if (!exact && pkg) exact = exactRule(provider, pkg.id);
    const canonical = exact?.id ?? (liveData ? requested : pkg?.id) ?? requested;
    const matching = patterns.filter((p) => ruleProviders(provider).includes(p.rule.provider) && (p.re.test(canonical) || p.re.test(requested)));

    let vendorEntry: CatalogEntry | undefined;
    if (provider === 'openrouter' && borrowVendor) {
      const slash = requested.indexOf('/');
      const vendor = slash > 0 ? OPENROUTER_VENDORS[requested.slice(0, slash)] : undefined;
      if (vendor) vendorEntry = lookupModel(vendor, requested.slice(slash + 1).replace(/:[\w-]+$/, ''), false);
    }

    if (!exact && !pkg && !liveData && matching.length === 0 && !local && !vendorEntry) return undefined;

    const entry: CatalogEntry = {
      provider,
      modelId: canonical,
      ...(canonical !== requested && { requestedId: requested }),
      local,
      capabilities: { ...defaults.capabilities },
      transforms: { ...defaults.transforms },
      ...(defaults.parameterRanges && Object.keys(defaults.parameterRanges).length > 0 && { parameterRanges: { ...defaults.parameterRanges } }),
      sources: [],
    };
    const draft: Draft = {
      entry,
      supported: defaults.supportedParameters ? new Set(defaults.supportedParameters) : undefined,
      unsupported: new Set(),
    };
    if (defaults.supportedParameters || defaults.capabilities || defaults.transforms) addSource(entry, 'overrides');

    if (vendorEntry) {
      // Capabilities and limits of the underlying model; prices and parameters stay OpenRouter's.
      entry.capabilities = { ...entry.capabilities, ...vendorEntry.capabilities };
      if (vendorEntry.contextWindow !== undefined) entry.contextWindow = vendorEntry.contextWindow;
      if (vendorEntry.maxOutputTokens !== undefined) entry.maxOutputTokens = vendorEntry.maxOutputTokens;
      if (vendorEntry.parameterRanges) entry.parameterRanges = { ...vendorEntry.parameterRanges };
      for (const s of vendorEntry.sources) addSource(entry, s);
    }
    if (pkg) {
      addSource(entry, 'package');
      if (pkg.name !== undefined) entry.displayName = pkg.name;
      if (pkg.contextWindow !== undefined) entry.contextWindow = pkg.contextWindow;
      entry.prices = pkg.prices;
      if (pkg.deprecated !== undefined) entry.deprecated = pkg.deprecated;
    }
    if (liveData) {
      addSource(entry, 'openrouter');
      if (liveData.displayName !== undefined) entry.displayName = liveData.displayName;
      if (liveData.contextWindow !== undefined) entry.contextWindow = liveData.contextWindow;
      if (liveData.maxOutputTokens !== undefined) entry.maxOutputTokens = liveData.maxOutputTokens;
      // Live prices replace the snapshot's whole, tiers included: OpenRouter quotes one flat rate.
      if (liveData.prices) entry.prices = { ...liveData.prices };
      entry.capabilities = { ...entry.capabilities, ...liveData.capabilities };
      if (liveData.supportedParameters) draft.supported = new Set(liveData.supportedParameters);
    }
    for (const { rule } of matching) {
      addSource(entry, 'overrides');
      applyRule(draft, rule);
    }
    if (exact) {
      addSource(entry, 'overrides');
      applyRule(draft, exact);
    }
    if (draft.supported) entry.supportedParameters = CALL_PARAMETERS.filter((p) => draft.supported?.has(p));
    else if (draft.unsupported.size > 0) entry.supportedParameters = CALL_PARAMETERS.filter((p) => !draft.unsupported.has(p));
    return entry;
  }

  function list(provider?: string): CatalogEntry[] {
    const names = provider !== undefined ? [provider] : [...new Set([...Object.keys(providers), 'openrouter'])];
    const out: CatalogEntry[] = [];
    for (const name of names) {
      const ids = new Set<string>();
      const pp = providers[name]?.packageProvider;
      if (pp !== undefined) for (const id of listPackageModelIds(pp)) ids.add(id);
      for (const r of rules) if (r.provider === name && r.id !== undefined) ids.add(r.id);
      if (name === 'openrouter') for (const id of live.keys()) ids.add(id);
      const seen = new Set<string>();
      for (const id of ids) {
        const entry = lookupModel(name, id);
        if (entry && !seen.has(entry.modelId)) {
          seen.add(entry.modelId);
          out.push(entry);
        }
      }
    }
    return out;
  }

  return { lookupModel: (provider, modelId) => lookupModel(provider, modelId), list };
}
