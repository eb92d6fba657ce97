import { type DeploymentHealthInfo } from '../../shared/contract/health';
import { type DeploymentHealth } from '../router';

export interface HealthServiceDeps {
  /** The router's health of every deployment it knows (kept across config reloads). */
  health: () => DeploymentHealth[];
  /** The group, provider and model behind a deployment id, when the config in force has it. */
  describe: (deploymentId: string) => { group: string | null; provider: string; model: string } | undefined;
}

export interface HealthService {
  list(): { deployments: DeploymentHealthInfo[] };
}

export function createHealthService(deps: HealthServiceDeps): HealthService {
  return {
    list() {
      return {
        deployments: deps.health().map((h) => {
          const about = deps.describe(h.deploymentId);
          return {
            deploymentId: h.deploymentId,
            group: about?.group ?? null,
            provider: about?.provider ?? null,
            model: about?.model ?? null,
            requests: h.requests,
            successRate: h.successRate ?? null,
            p50LatencyMs: h.p50LatencyMs ?? null,
            p95LatencyMs: h.p95LatencyMs ?? null,
            p50TtftMs: h.p50TtftMs ?? null,
            p95TtftMs: h.p95TtftMs ?? null,
            breaker: h.breaker,
            lastError: h.lastError ?? null,
          };
        }),
      };
    },
  };
}
