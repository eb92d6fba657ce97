import { describe, expect, it } from 'vitest';
import type { MessageRoute, RouteAttempt } from '../../../../shared/domain';
import { routeUsage, summarizeRoute } from './route-summary';

const attempt = (over: Partial<RouteAttempt>): RouteAttempt => ({
  attempt: 1, fallbackDepth: 0, deployment: null, provider: 'openai', model: 'gpt-4o', outcome: 'success', errorKind: null, latencyMs: 100, ttftMs: 20, ...over,
});

const route = (attempts: RouteAttempt[], over: Partial<MessageRoute> = {}): MessageRoute => ({
  requestId: 'r', attempts, served: attempts.find((a) => a.outcome === 'success') ?? null, fallbacks: 0,
  tokens: { input: 1200, inputNoCache: 200, inputCacheRead: 1000, inputCacheWrite: null, output: 50, outputText: null, outputReasoning: null },
  costUsd: 0.0042, latencyMs: 300, ttftMs: 40, cached: false, ...over,
});

describe('summarizeRoute', () => {
  it('names the deployment that served, the failures before it, the fallbacks and the cost', () => {
    const attempts = [
      attempt({ attempt: 1, deployment: 'smart#0', model: 'gpt-4o', outcome: 'error', errorKind: 'rate_limit' }),
      attempt({ attempt: 2, fallbackDepth: 1, deployment: 'cheap#0', provider: 'claude', model: 'claude-haiku-4-5' }),
    ];
    expect(summarizeRoute(route(attempts, { fallbacks: 1 }), [])).toEqual({
      servedBy: 'cheap#0 · claude/claude-haiku-4-5',
      failures: ['openai/gpt-4o: rate limit'],
      fallbacks: 1,
      costUsd: 0.0042,
      cached: false,
    });
  });

  it('uses the live attempts until the route is stored, and local models by their id', () => {
    const live = [attempt({ provider: 'local', model: 'local/tiny', deployment: 'local/tiny' })];
    expect(summarizeRoute(null, live)).toMatchObject({ servedBy: 'local/tiny', failures: [], costUsd: undefined });
    expect(summarizeRoute(null, [])).toMatchObject({ servedBy: null, failures: [], fallbacks: 0 });
  });

  it('does not name a request-level row (nothing attempted) as the server', () => {
    const nothing = attempt({ attempt: 0, provider: 'router', model: 'smart', outcome: 'error', errorKind: 'budget' });
    expect(summarizeRoute(route([nothing], { served: nothing, costUsd: null }), [])).toMatchObject({ servedBy: null, failures: [], costUsd: null });
  });
});

describe('routeUsage', () => {
  it('keeps known counts and leaves unknown ones out', () => {
    expect(routeUsage(route([]))).toEqual({ inputTokens: { total: 1200, noCache: 200, cacheRead: 1000 }, outputTokens: { total: 50 } });
  });
});

describe('summarizeRoute with retries', () => {
  it('counts the same failure of the same deployment once', () => {
    const failed = (n: number) => attempt({ attempt: n, outcome: 'error', errorKind: 'rate_limit' });
    const attempts = [failed(1), failed(2), failed(3), attempt({ attempt: 4, fallbackDepth: 1, provider: 'b', model: 'm' })];
    expect(summarizeRoute(null, attempts).failures).toEqual(['openai/gpt-4o: rate limit ×3']);
  });
});
