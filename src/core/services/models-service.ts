import { type LocalModelEntry, type ModelsList, type ProviderModels, type SelectableModel } from '../../shared/domain';
import { ProviderError } from '../../shared/llm';
import { type Catalog, type CatalogEntry } from '../catalog';
import { type ModelLibrary } from '../models/library';
import { type ListedModel, NON_CHAT_MODEL, type ProviderRegistry, type RegisteredProvider } from '../providers/registry';

export interface ModelsService {
  /** The local models folder(s): every .gguf file, with metadata or why it cannot be loaded. */
  listLocal(): Promise<LocalModelEntry[]>;
  /** Every selectable model, grouped by provider, local first. Never fails for one provider's sake. */
  list(options?: { refresh?: boolean; signal?: AbortSignal }): Promise<ModelsList>;
}

export interface ModelsServiceDeps {
  /** The registry of the config in force; without one, only local models are listed. */
  registry?: () => ProviderRegistry;
  /** Fills in context, prices and capabilities, and lists known models for providers without a live list. */
  catalog?: Catalog;
  /** How long one provider's live list may take. Default 4 000 ms. */
  listTimeoutMs?: number;
  /** How long a live list is reused. Default 60 000 ms. */
  cacheTtlMs?: number;
  clock?: () => number;
}

/** Provider types whose catalog lists are OpenAI-style (legacy, embedding, speech models among them). */
const OPENAI_STYLE = new Set(['openai', 'azure', 'deepseek']);

interface CachedList {
  at: number;
  group: ProviderModels;
}

export function createModelsService(library: ModelLibrary, deps: ModelsServiceDeps = {}): ModelsService {
  const timeoutMs = deps.listTimeoutMs ?? 4_000;
  const ttlMs = deps.cacheTtlMs ?? 60_000;
  const clock = deps.clock ?? Date.now;
  // Keyed by registry: a config reload builds a new one, so its lists are asked for afresh.
  const cache = new WeakMap<ProviderRegistry, Map<string, CachedList>>();

  async function localGroup(): Promise<ProviderModels> {
    try {
      const entries = await library.list();
      return { provider: 'local', providerType: 'local', builtIn: true, source: 'local', models: entries.map(localModel), error: null, latencyMs: null };
    } catch (error) {
      const data = ProviderError.from(error, { kind: 'server', provider: 'local' }).toData();
      return { provider: 'local', providerType: 'local', builtIn: true, source: 'local', models: [], error: data, latencyMs: null };
    }
  }

  async function providerGroup(entry: RegisteredProvider, signal: AbortSignal | undefined): Promise<ProviderModels> {
    const group = { provider: entry.name, providerType: entry.type, builtIn: entry.builtIn };
    const fromCatalog = () => catalogModels(deps.catalog, entry);
    if (entry.factory === undefined) {
      const error = new ProviderError({ kind: 'bad_request', retryable: false, provider: entry.name, message: entry.problem ?? 'cannot be used' }).toData();
      return { ...group, source: 'none', models: [], error, latencyMs: null };
    }
    if (entry.offeredModels !== undefined) {
      return { ...group, source: 'offered', models: entry.offeredModels.map((m) => selectable(deps.catalog, entry, m, 'offered', null)), error: null, latencyMs: null };
    }
    if (entry.listModels === undefined) {
      return { ...group, source: 'catalog', models: fromCatalog().map((m) => selectable(deps.catalog, entry, m, 'catalog', null)), error: null, latencyMs: null };
    }
    const startedAt = clock();
    try {
      const listed = await withTimeout(entry.listModels, timeoutMs, entry.name, signal);
      const models = dedupe(listed).map((m) => selectable(deps.catalog, entry, m, 'live', null));
      return { ...group, source: 'live', models, error: null, latencyMs: clock() - startedAt };
    } catch (error) {
      const data = ProviderError.from(error, { kind: 'server', provider: entry.name }).toData();
      // The catalog's models stand in; without a key none of them can be called, so say so on each.
      const unusable = data.kind === 'auth' ? data.message : null;
      const fallback = fromCatalog().map((m) => selectable(deps.catalog, entry, m, 'catalog', unusable));
      return { ...group, source: fallback.length > 0 ? 'catalog' : 'none', models: fallback, error: data, latencyMs: clock() - startedAt };
    }
  }

  async function cachedGroup(registry: ProviderRegistry, entry: RegisteredProvider, refresh: boolean, signal: AbortSignal | undefined): Promise<ProviderModels> {
    let lists = cache.get(registry);
    if (lists === undefined) cache.set(registry, (lists = new Map()));
    const hit = lists.get(entry.name);
    if (!refresh && hit !== undefined && clock() - hit.at < ttlMs) return hit.group;
    const group = await providerGroup(entry, signal);
    // Only good live lists are kept: a failure is asked again next time.
    if (group.source === 'live' && group.error === null) lists.set(entry.name, { at: clock(), group });
    else lists.delete(entry.name);
    return group;
  }

  return {
    listLocal: () => library.list(),
    async list(options = {}) {
      const registry = deps.registry?.();
      const remote = registry === undefined ? [] : registry.list().filter((p) => !p.builtIn);
      const [local, ...others] = await Promise.all([
        localGroup(),
        ...remote.map((entry) => cachedGroup(registry as ProviderRegistry, entry, options.refresh ?? false, options.signal)),
      ]);
      return { providers: [local as ProviderModels, ...others] };
    },
  };
}

function localModel(entry: LocalModelEntry): SelectableModel {
  return {
    ref: entry.id,
    provider: 'local',
    providerType: 'local',
    modelId: entry.id.replace(/^local\//, ''),
    displayName: entry.name,
    source: 'local',
    contextWindow: entry.contextLength !== null && entry.contextLength > 0 ? entry.contextLength : null,
    maxOutputTokens: null,
    prices: { input: 0, output: 0 },
    capabilities: { vision: null, tools: null, reasoning: null },
    runsLocally: true,
    error: entry.error,
    file: entry,
  };
}

/** The catalog's known models for a provider's type, chat models only, newest-looking last as the catalog orders them. */
function catalogModels(catalog: Catalog | undefined, entry: RegisteredProvider): ListedModel[] {
  if (catalog === undefined) return [];
  return catalog
    .list(entry.type)
    .filter((m) => m.deprecated !== true && !(OPENAI_STYLE.has(entry.type) && NON_CHAT_MODEL.test(m.modelId)))
    .map((m) => ({ id: m.modelId }));
}

function dedupe(models: ListedModel[]): ListedModel[] {
  const seen = new Set<string>();
  return models.filter((m) => m.id !== '' && !seen.has(m.id) && (seen.add(m.id), true));
}

function selectable(catalog: Catalog | undefined, provider: RegisteredProvider, listed: ListedModel, source: SelectableModel['source'], error: string | null): SelectableModel {
  let known: CatalogEntry | undefined;
  try {
    known = catalog?.lookupModel(provider.type, listed.id);
  } catch {
    known = undefined; // a catalog bug must not hide the model
  }
  const input = listed.prices?.input ?? known?.prices?.input;
  const output = listed.prices?.output ?? known?.prices?.output;
  const runsLocally = known?.local ?? false;
  return {
    ref: `${provider.name}/${listed.id}`,
    provider: provider.name,
    providerType: provider.type,
    modelId: listed.id,
    displayName: listed.displayName ?? known?.displayName ?? listed.id,
    source,
    contextWindow: positiveInt(listed.contextWindow ?? known?.contextWindow),
    maxOutputTokens: positiveInt(listed.maxOutputTokens ?? known?.maxOutputTokens),
    prices: runsLocally ? { input: 0, output: 0 } : input === undefined && output === undefined ? null : { input: input ?? null, output: output ?? null },
    capabilities: {
      vision: listed.vision ?? known?.capabilities.vision ?? null,
      tools: listed.tools ?? known?.capabilities.tools ?? null,
      reasoning: listed.reasoning ?? known?.capabilities.reasoning ?? null,
    },
    runsLocally,
    error,
    file: null,
  };
}

const positiveInt = (n: number | undefined): number | null => (n !== undefined && Number.isInteger(n) && n > 0 ? n : null);

/** Runs a lister with its own deadline (and the caller's signal); a lister that ignores the abort still loses the race. */
async function withTimeout<T>(run: (signal: AbortSignal) => Promise<T>, ms: number, provider: string, outer: AbortSignal | undefined): Promise<T> {
  const controller = new AbortController();
  const onOuter = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ProviderError({ kind: 'timeout', retryable: true, provider, message: `listing models took longer than ${ms} ms` });
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}
