import { type CatalogEntry } from '../catalog';

/** What a deployment can do. `undefined` means unknown, which no filter treats as lacking. */
export interface DeploymentCapabilities {
  vision?: boolean;
  tools?: boolean;
  reasoning?: boolean;
  json?: boolean;
  jsonSchema?: boolean;
}

/** One concrete target: a configured provider and a model id on it. */
export interface Deployment {
  /** Unique within the router: `group#index` for configured ones, `provider/model` for ad-hoc ones. */
  id: string;
  /** The configured provider name (`openai`, `work-azure`, `local`). */
  provider: string;
  /** The provider's type (openai, anthropic, openrouter, local…), for catalog look-ups and conventions. */
  providerType: string;
  model: string;
  /** Share for the weighted strategy; 0 means last resort. Default 1. */
  weight: number;
  /** Lower goes first for the ordered strategy. Default 0. */
  order: number;
  capabilities: DeploymentCapabilities;
  /** Total context window (input + output) in tokens, when known. */
  contextWindow?: number;
  /** The catalog entry, for prices (lowest-cost, the cost of each attempt). */
  entry?: CatalogEntry;
}

export interface DeploymentInit {
  id?: string;
  provider: string;
  providerType?: string;
  model: string;
  weight?: number;
  order?: number;
  entry?: CatalogEntry;
  /** Overrides what the catalog says. */
  capabilities?: DeploymentCapabilities;
  contextWindow?: number;
}

export function createDeployment(init: DeploymentInit): Deployment {
  const entry = init.entry;
  const fromCatalog: DeploymentCapabilities = entry
    ? { ...entry.capabilities }
    : {};
  const contextWindow = init.contextWindow ?? entry?.contextWindow;
  return {
    id: init.id ?? `${init.provider}/${init.model}`,
    provider: init.provider,
    providerType: init.providerType ?? init.provider,
    model: init.model,
    weight: init.weight ?? 1,
    order: init.order ?? 0,
    capabilities: { ...fromCatalog, ...init.capabilities },
    ...(contextWindow !== undefined && { contextWindow }),
    ...(entry && { entry }),
  };
}

/** `provider/model`, for messages. */
export function describeDeployment(d: Deployment): string {
  return `${d.provider}/${d.model}`;
}
