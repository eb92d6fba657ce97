import { describe, expect, it } from 'vitest';
import { DEFAULT_BREAKER_POLICY } from './circuit-breaker';
import { DeploymentState } from './deployment-state';
import { HealthTracker, percentile } from './health';
import { createVirtualTime } from './testing/virtual-time';

describe('percentile', () => {
  it('is the nearest rank', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([5], 95)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 95)).toBe(10);
  });
});

describe('HealthTracker', () => {
  it('keeps success rate, p50/p95 latency and TTFT, breaker state and the last error over a sliding window', () => {
    const time = createVirtualTime();
    const health = new HealthTracker({ clock: time.clock, windowMs: 60_000 });
    expect(health.snapshot('d', 'closed')).toEqual({
      deploymentId: 'd',
      requests: 0,
      successRate: undefined,
      p50LatencyMs: undefined,
      p95LatencyMs: undefined,
      p50TtftMs: undefined,
      p95TtftMs: undefined,
      breaker: 'closed',
    });
    for (let i = 1; i <= 20; i++) health.record('d', { ok: true, latencyMs: i * 100, ttftMs: i * 10 });
    time.advance(1000);
    health.record('d', { ok: false, latencyMs: 5 }, { kind: 'server', message: 'boom' });
    const snap = health.snapshot('d', 'open');
    expect(snap).toMatchObject({ requests: 21, p50LatencyMs: 1000, p95LatencyMs: 1900, p50TtftMs: 100, p95TtftMs: 190, breaker: 'open' });
    expect(snap.successRate).toBeCloseTo(20 / 21);
    expect(snap.lastError).toEqual({ kind: 'server', message: 'boom', at: time.clock.now() });
    expect(health.p50LatencyMs('d')).toBe(1000);
    time.advance(59_500);
    expect(health.snapshot('d', 'closed')).toMatchObject({ requests: 1, successRate: 0, p50LatencyMs: undefined });
    time.advance(1000);
    expect(health.snapshot('d', 'closed').requests).toBe(0);
    expect(health.snapshot('d', 'closed').lastError?.kind).toBe('server');
  });

  it('keeps at most maxSamples per deployment', () => {
    const time = createVirtualTime();
    const health = new HealthTracker({ clock: time.clock, maxSamples: 3 });
    for (let i = 0; i < 10; i++) health.record('d', { ok: i < 7, latencyMs: 1 });
    expect(health.snapshot('d', 'closed')).toMatchObject({ requests: 3, successRate: 0 });
  });
});

describe('DeploymentState: restored health and a reloaded breaker policy', () => {
  it('rebuilds health from recorded attempts (aborted ones teach nothing), and lists their deployments', () => {
    let now = 10_000;
    const state = new DeploymentState(DEFAULT_BREAKER_POLICY, { now: () => now }, 5_000);
    state.restore([
      { deploymentId: 'g#0', at: 6_000, outcome: 'success', latencyMs: 100, ttftMs: 40 },
      { deploymentId: 'g#0', at: 7_000, outcome: 'error', latencyMs: 50, error: { kind: 'server', message: 'boom' } },
      { deploymentId: 'g#0', at: 8_000, outcome: 'aborted', latencyMs: 5 },
      { deploymentId: 'openai/gpt-4o', at: 9_000, outcome: 'success', latencyMs: 200 },
    ]);
    expect(state.health()).toEqual([
      expect.objectContaining({ deploymentId: 'g#0', requests: 2, successRate: 0.5, p50LatencyMs: 100, p50TtftMs: 40, breaker: 'closed', lastError: { kind: 'server', message: 'boom', at: 7_000 } }),
      expect.objectContaining({ deploymentId: 'openai/gpt-4o', requests: 1, successRate: 1 }),
    ]);
    now = 11_500;
    expect(state.health()[0]).toMatchObject({ requests: 1, successRate: 0 });
  });

  it('a new breaker policy applies to breakers that already exist', () => {
    const state = new DeploymentState(DEFAULT_BREAKER_POLICY, { now: () => 0 }, 5_000);
    const d = { id: 'g#0' };
    state.breaker(d).onFailure('server');
    expect(state.breaker(d).state()).toBe('closed');
    state.setBreakerPolicy({ ...DEFAULT_BREAKER_POLICY, failureThreshold: 2 });
    state.breaker(d).onFailure('server');
    expect(state.breaker(d).state()).toBe('open');
  });
});
