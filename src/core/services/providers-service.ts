import { type ProviderTestResult, type ProvidersList } from '../../shared/contract';
import { ContractFailure } from '../api/contract-failure';
import { type ConfigIssue } from '../config';
import { type ProviderRegistry, RegistryError } from '../providers/registry';

export interface ProvidersServiceDeps {
  /** The registry of the config in force (it is swapped when the config reloads). */
  registry: () => ProviderRegistry;
  configPath: string;
  /** The last config load's problems, or undefined when it was good. */
  configErrors: () => ConfigIssue[] | undefined;
}

export interface ProvidersService {
  list(): ProvidersList;
  /** The cheap call, for every provider or the one named. */
  test(name: string | undefined, signal: AbortSignal): Promise<ProviderTestResult[]>;
}

export function createProvidersService(deps: ProvidersServiceDeps): ProvidersService {
  return {
    list() {
      return {
        providers: deps.registry().list().map((p) => ({
          name: p.name,
          type: p.type,
          builtIn: p.builtIn,
          baseURL: p.baseURL,
          keySet: p.keySource !== undefined,
          keySource: p.keySource ?? null,
          keyHint: p.keyHint ?? null,
          problem: p.problem ?? null,
        })),
        config: { path: deps.configPath, errors: deps.configErrors() ?? null },
      };
    },
    async test(name, signal) {
      try {
        return await deps.registry().test(name, { signal });
      } catch (error) {
        throw toContractFailure(error);
      }
    },
  };
}

/** A registry refusal as the contract's NOT_FOUND / UNAVAILABLE; anything else as is. */
export function toContractFailure(error: unknown): unknown {
  return error instanceof RegistryError ? new ContractFailure(error.code, error.message, error.data) : error;
}
