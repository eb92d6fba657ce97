import { type MessageRoute, type RouteAttempt } from '../../shared/domain';
import { type CallRecord } from '../store';

const tokenCount = (n: number | null) => (n === null ? null : Math.max(0, n));

/**
 * How a reply was served, from the `calls` rows of its request (one per attempt, or one
 * request-level row): every attempt, the one whose answer the message holds, the fallback hops,
 * the serving attempt's tokens by kind and timings, and the cost of all attempts together.
 */
export function messageRoute(requestId: string, rows: readonly CallRecord[]): MessageRoute {
  const attempts: RouteAttempt[] = rows.map((r) => ({
    attempt: r.attempt,
    fallbackDepth: r.fallbackDepth,
    deployment: r.deployment,
    provider: r.provider,
    model: r.model,
    outcome: r.outcome,
    errorKind: r.errorKind,
    latencyMs: r.latencyMs,
    ttftMs: r.ttftMs,
  }));
  const servingIndex = rows.findIndex((r) => r.outcome === 'success' || r.outcome === 'cache_hit');
  const index = servingIndex >= 0 ? servingIndex : rows.length - 1;
  const serving = index >= 0 ? rows[index] : undefined;
  const first = rows[0];
  const costs = rows.map((r) => r.costUsd);
  return {
    requestId,
    attempts,
    served: index >= 0 ? (attempts[index] ?? null) : null,
    fallbacks: rows.reduce((deepest, r) => Math.max(deepest, r.fallbackDepth), 0),
    tokens: {
      input: tokenCount(serving?.inputTokens.total ?? null),
      inputNoCache: tokenCount(serving?.inputTokens.noCache ?? null),
      inputCacheRead: tokenCount(serving?.inputTokens.cacheRead ?? null),
      inputCacheWrite: tokenCount(serving?.inputTokens.cacheWrite ?? null),
      output: tokenCount(serving?.outputTokens.total ?? null),
      outputText: tokenCount(serving?.outputTokens.text ?? null),
      outputReasoning: tokenCount(serving?.outputTokens.reasoning ?? null),
    },
    costUsd: costs.length > 0 && costs.every((c) => c !== null) ? costs.reduce<number>((sum, c) => sum + (c ?? 0), 0) : null,
    latencyMs: first !== undefined && serving?.endedAt != null ? Math.max(0, serving.endedAt - first.startedAt) : null,
    ttftMs: serving?.ttftMs ?? null,
    cached: serving?.outcome === 'cache_hit',
  };
}
