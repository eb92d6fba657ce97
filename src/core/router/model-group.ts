import type { Catalog } from '../catalog';
import { createDeployment, type Deployment } from './deployment';
import type { StrategyName } from './strategies';

/** The name callers use, and the deployments behind it. */
export interface ModelGroup {
  name: string;
  strategy: StrategyName;
  deployments: Deployment[];
  /** Groups tried, in order, when this one fails. */
  fallbacks: string[];
  /** Tried instead of `fallbacks` when the failure is a context_length error (or nothing fits). */
  contextWindowFallbacks?: string[];
  /** Tried instead of `fallbacks` when the failure is a content_filter error. */
  contentPolicyFallbacks?: string[];
}

/** The shape of a group in switchboard.yaml (config's schema, already validated). */
export interface GroupConfig {
  strategy?: StrategyName;
  deployments: Array<{ provider: string; model: string; weight?: number; order?: number }>;
  fallbacks?: string[];
  contextWindowFallbacks?: string[];
  contentPolicyFallbacks?: string[];
}

export interface BuildGroupsOptions {
  /** Provider name → its type, from the config's providers (plus the built-in `local`). */
  providerTypes: Record<string, string>;
  catalog?: Pick<Catalog, 'lookupModel'>;
}

export function createGroup(name: string, config: GroupConfig, options: BuildGroupsOptions): ModelGroup {
  return {
    name,
    strategy: config.strategy ?? 'ordered',
    deployments: config.deployments.map((d, i) => {
      const providerType = options.providerTypes[d.provider] ?? d.provider;
      return createDeployment({
        id: `${name}#${i}`,
        provider: d.provider,
        providerType,
        model: d.model,
        weight: d.weight,
        order: d.order,
        entry: options.catalog?.lookupModel(providerType, d.model),
      });
    }),
    fallbacks: config.fallbacks ?? [],
    ...(config.contextWindowFallbacks && { contextWindowFallbacks: config.contextWindowFallbacks }),
    ...(config.contentPolicyFallbacks && { contentPolicyFallbacks: config.contentPolicyFallbacks }),
  };
}

/** Every configured group, by name. */
export function buildGroups(groups: Record<string, GroupConfig>, options: BuildGroupsOptions): Map<string, ModelGroup> {
  return new Map(Object.entries(groups).map(([name, config]) => [name, createGroup(name, config, options)]));
}
