import type { Catalog } from '../catalog';
import { ProviderError } from '../../shared/llm';
import { createDeployment } from './deployment';
import type { ModelGroup } from './model-group';

/** What a caller's model name can be resolved against. */
export interface RoutingTable {
  groups: ReadonlyMap<string, ModelGroup>;
  /** Another name for a group: `{ smart: 'gpt-4o' }`. */
  aliases?: Readonly<Record<string, string>>;
  /** Configured provider name → type (`{ openai: 'openai', work: 'azure', local: 'local' }`). */
  providerTypes: Readonly<Record<string, string>>;
  /** Model names the local library holds (file names or ids), for bare local names. */
  localModels?: readonly string[];
  catalog?: Pick<Catalog, 'lookupModel'>;
}

export type ResolvedVia = 'group' | 'alias' | 'provider-model' | 'auto' | 'convention';

export interface ResolvedTarget {
  group: ModelGroup;
  via: ResolvedVia;
}

const AUTO = 'auto';

/** Which provider types a bare model name belongs to, by the providers' naming conventions. */
export function conventionTypes(name: string): string[] {
  if (/^claude-/i.test(name)) return ['anthropic'];
  if (/^gpt-/i.test(name) || /^o[1-9]/i.test(name)) return ['openai', 'azure'];
  if (/\.gguf$/i.test(name)) return ['local'];
  if (name.includes('/')) return ['openrouter'];
  return [];
}

function adHocGroup(table: RoutingTable, provider: string, model: string): ModelGroup {
  const providerType = table.providerTypes[provider] ?? provider;
  const deployment = createDeployment({
    provider,
    providerType,
    model,
    entry: table.catalog?.lookupModel(providerType, model),
  });
  return { name: `${provider}/${model}`, strategy: 'ordered', deployments: [deployment], fallbacks: [] };
}

function autoGroup(table: RoutingTable): ModelGroup | undefined {
  const configured = table.groups.get(AUTO);
  if (configured) return configured;
  const seen = new Set<string>();
  const deployments = [...table.groups.values()]
    .flatMap((g) => g.deployments)
    .filter((d) => {
      const key = `${d.provider}/${d.model}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  if (deployments.length === 0) return undefined;
  return { name: AUTO, strategy: 'ordered', deployments, fallbacks: [] };
}

function list(names: Iterable<string>): string {
  return [...names].join(', ') || 'none';
}

function notFound(name: string, table: RoutingTable, why: string): ProviderError {
  const aliases = Object.keys(table.aliases ?? {});
  return new ProviderError({
    kind: 'not_found',
    message:
      `no model "${name}": ${why}. Groups: ${list(table.groups.keys())}; aliases: ${list(aliases)}; ` +
      `providers: ${list(Object.keys(table.providerTypes))} (name one as provider/model)`,
  });
}

/**
 * A caller's model name → the group to route it through, in this order: a configured group,
 * an alias, `auto`, `provider/model` with a configured provider, then a bare name by provider
 * conventions (`claude-*` → anthropic, `gpt-*`/`o1…o9*` → openai, `vendor/model` → openrouter,
 * `.gguf` or a local library name → local). Throws a not_found ProviderError listing what exists.
 */
export function resolveTarget(name: string, table: RoutingTable): ResolvedTarget {
  const trimmed = name.trim();
  const group = table.groups.get(trimmed);
  if (group) return { group, via: 'group' };

  const aliased = table.aliases !== undefined && Object.hasOwn(table.aliases, trimmed) ? table.aliases[trimmed] : undefined;
  if (aliased !== undefined) {
    const target = table.groups.get(aliased);
    if (target) return { group: target, via: 'alias' };
    // An alias of a `provider/model` ref (never of another alias: no loops).
    const provider = aliased.slice(0, Math.max(0, aliased.indexOf('/')));
    if (provider !== '' && table.providerTypes[provider] !== undefined) {
      try {
        return { group: resolveTarget(aliased, { ...table, aliases: {} }).group, via: 'alias' };
      } catch {
        // Reported below, naming the alias.
      }
    }
    throw notFound(trimmed, table, `alias "${trimmed}" names "${aliased}", which is neither a group nor a configured provider/model`);
  }

  if (trimmed === AUTO) {
    const auto = autoGroup(table);
    if (!auto) throw notFound(trimmed, table, 'auto needs at least one configured group');
    return { group: auto, via: 'auto' };
  }

  const slash = trimmed.indexOf('/');
  if (slash > 0) {
    const provider = trimmed.slice(0, slash);
    const model = trimmed.slice(slash + 1);
    if (model !== '' && table.providerTypes[provider] !== undefined) {
      return { group: adHocGroup(table, provider, model), via: 'provider-model' };
    }
  }

  const byType = (types: readonly string[]): string | undefined => {
    for (const type of types) {
      const provider = Object.entries(table.providerTypes).find(([, t]) => t === type)?.[0];
      if (provider !== undefined) return provider;
    }
    return undefined;
  };

  const isLocal = /\.gguf$/i.test(trimmed) || (table.localModels ?? []).includes(trimmed);
  const types = isLocal ? ['local'] : conventionTypes(trimmed);
  if (types.length === 0) throw notFound(trimmed, table, 'not a group, alias or provider/model, and no provider convention matches it');
  const provider = byType(types);
  if (provider === undefined) {
    throw notFound(trimmed, table, `it looks like a ${types.join(' or ')} model, but no such provider is configured`);
  }
  return { group: adHocGroup(table, provider, trimmed), via: 'convention' };
}
