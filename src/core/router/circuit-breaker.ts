import type { ProviderErrorKind } from '../../shared/llm';
import type { Clock } from './router-types';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerPolicy {
  /** Failures within `windowMs` that open the breaker. Default 5 in 60 s. */
  failureThreshold: number;
  windowMs: number;
  /** How long it stays open before one half-open probe. Default 30 s. */
  cooldownMs: number;
  /** Error kinds that count as failures. */
  countKinds: ReadonlySet<ProviderErrorKind>;
  /** Error kinds that open it at once (a bad key, a spent budget). */
  openAtOnceKinds: ReadonlySet<ProviderErrorKind>;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  failureThreshold: 5,
  windowMs: 60_000,
  cooldownMs: 30_000,
  countKinds: new Set(['rate_limit', 'timeout', 'connection', 'server', 'engine_crashed']),
  openAtOnceKinds: new Set(['auth', 'budget']),
};

/**
 * A deployment's cooldown, as a circuit breaker. Closed: failures are counted over a sliding
 * window. Open: nothing goes through until `cooldownMs` passed. Half-open: exactly one probe
 * goes through; its success closes the breaker, its failure opens it again. Errors of kinds
 * that do not count (bad_request, content_filter, an abort…) say nothing about the deployment.
 */
export class CircuitBreaker {
  private failures: number[] = [];
  private openedUntil: number | undefined;
  private probeInFlight = false;

  /** The policy, or a getter for the one in force (a config reload may change it). */
  constructor(
    private readonly policyOf: BreakerPolicy | (() => BreakerPolicy),
    private readonly clock: Clock,
  ) {}

  private get policy(): BreakerPolicy {
    return typeof this.policyOf === 'function' ? this.policyOf() : this.policyOf;
  }

  state(): BreakerState {
    if (this.openedUntil === undefined) return 'closed';
    return this.clock.now() < this.openedUntil ? 'open' : 'half-open';
  }

  /** When an attempt could go through, if it cannot now (open, or half-open with its probe out). */
  blockedUntil(): number | undefined {
    const state = this.state();
    if (state === 'open') return this.openedUntil;
    if (state === 'half-open' && this.probeInFlight) return this.clock.now() + this.policy.cooldownMs;
    return undefined;
  }

  canAttempt(): boolean {
    return this.blockedUntil() === undefined;
  }

  /** Call when an attempt starts; in half-open, it takes the one probe. */
  onAttemptStart(): void {
    if (this.state() === 'half-open') this.probeInFlight = true;
  }

  onSuccess(): void {
    this.failures = [];
    this.openedUntil = undefined;
    this.probeInFlight = false;
  }

  onFailure(kind: ProviderErrorKind): void {
    const now = this.clock.now();
    const wasProbe = this.probeInFlight;
    this.probeInFlight = false;
    if (this.policy.openAtOnceKinds.has(kind)) return this.open(now);
    if (!this.policy.countKinds.has(kind)) return;
    if (wasProbe || this.state() === 'half-open') return this.open(now);
    this.failures = this.failures.filter((t) => t > now - this.policy.windowMs);
    this.failures.push(now);
    if (this.failures.length >= this.policy.failureThreshold) this.open(now);
  }

  /** An attempt that ended without saying anything about the deployment (aborted): gives the probe back. */
  onNeutral(): void {
    this.probeInFlight = false;
  }

  private open(now: number): void {
    this.openedUntil = now + this.policy.cooldownMs;
    this.failures = [];
  }
}
