import type { ProviderErrorData, ProviderErrorKind } from '../../shared/llm';
import { CircuitBreaker, type BreakerPolicy } from './circuit-breaker';
import type { Deployment } from './deployment';
import { HealthTracker, type DeploymentHealth } from './health';
import type { AttemptOutcome, Clock } from './router-types';

/** What the router knows about each deployment across requests: breaker, attempts in flight, health. */
export class DeploymentState {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly flying = new Map<string, number>();
  private readonly known = new Set<string>();
  private readonly tracker: HealthTracker;

  constructor(
    private breakerPolicy: BreakerPolicy,
    private readonly clock: Clock,
    healthWindowMs: number,
  ) {
    this.tracker = new HealthTracker({ clock, windowMs: healthWindowMs });
  }

  /** A config reload's cooldown settings: every breaker, old and new, follows them from now on. */
  setBreakerPolicy(policy: BreakerPolicy): void {
    this.breakerPolicy = policy;
  }

  /** Makes the deployment show up in `health()` before its first attempt. */
  know(d: Deployment): void {
    this.known.add(d.id);
  }

  breaker(d: Pick<Deployment, 'id'>): CircuitBreaker {
    let breaker = this.breakers.get(d.id);
    if (!breaker) {
      breaker = new CircuitBreaker(() => this.breakerPolicy, this.clock);
      this.breakers.set(d.id, breaker);
    }
    return breaker;
  }

  /**
   * Health from attempts recorded before this process started (the `calls` rows), oldest first:
   * their samples and last errors, so health is not empty after a restart. Breakers start closed.
   */
  restore(attempts: Iterable<RestoredAttempt>): void {
    for (const a of attempts) {
      this.known.add(a.deploymentId);
      if (a.outcome === 'aborted') continue;
      this.tracker.record(
        a.deploymentId,
        { ok: a.outcome === 'success', latencyMs: a.latencyMs, ...(a.ttftMs !== undefined && { ttftMs: a.ttftMs }) },
        a.error,
        a.at,
      );
    }
  }

  inFlight(deploymentId: string): number {
    return this.flying.get(deploymentId) ?? 0;
  }

  p50LatencyMs(d: Deployment): number | undefined {
    return this.tracker.p50LatencyMs(d.id);
  }

  begin(d: Deployment): void {
    this.know(d);
    this.breaker(d).onAttemptStart();
    this.flying.set(d.id, this.inFlight(d.id) + 1);
  }

  /** An attempt ended: the breaker and health learn from it (an abort teaches nothing). */
  end(d: Deployment, outcome: AttemptOutcome, error: ProviderErrorData | undefined, latencyMs: number, ttftMs: number | undefined): void {
    this.flying.set(d.id, Math.max(0, this.inFlight(d.id) - 1));
    const breaker = this.breaker(d);
    if (outcome === 'success') breaker.onSuccess();
    else if (outcome === 'error' && error) breaker.onFailure(error.kind);
    else breaker.onNeutral();
    if (outcome === 'aborted') return;
    this.tracker.record(
      d.id,
      { ok: outcome === 'success', latencyMs, ...(ttftMs !== undefined && { ttftMs }) },
      error && { kind: error.kind, message: error.message },
    );
  }

  health(): DeploymentHealth[] {
    return [...this.known].map((id) => this.tracker.snapshot(id, this.breaker({ id }).state()));
  }
}

/** One recorded attempt, for `DeploymentState.restore`. */
export interface RestoredAttempt {
  deploymentId: string;
  /** When it ended. */
  at: number;
  outcome: AttemptOutcome;
  latencyMs: number;
  ttftMs?: number;
  error?: { kind: ProviderErrorKind; message: string };
}
