import type { MessageRoute, RouteAttempt } from '../../../../shared/domain';
import type { Usage } from '../../../../shared/llm';

export interface RouteSummary {
  /** Who answered: `openai/gpt-4o-mini`, or `smart#1 · openai/gpt-4o-mini` for a group's deployment; null when unknown. */
  servedBy: string | null;
  /** Attempts that failed before the answer: "openai/gpt-4o: rate limit". */
  failures: string[];
  /** Fallback hops (0: the group asked for answered). */
  fallbacks: number;
  /** USD over every attempt; null when unknown; undefined when there is no stored route yet. */
  costUsd: number | null | undefined;
  cached: boolean;
}

const target = (a: RouteAttempt) => (a.provider === 'local' || a.model.startsWith(`${a.provider}/`) ? a.model : `${a.provider}/${a.model}`);
const served = (a: RouteAttempt) => {
  const name = target(a);
  return a.deployment !== null && a.deployment !== name ? `${a.deployment} · ${name}` : name;
};
const ok = (a: RouteAttempt) => a.outcome === 'success' || a.outcome === 'cache_hit';

/**
 * What to say under an answer about how it was served: the stored route when there is one (after
 * the exchange is recorded, or for a reloaded conversation), else the attempts seen live.
 */
export function summarizeRoute(route: MessageRoute | null, live: readonly RouteAttempt[]): RouteSummary {
  const attempts = route?.attempts ?? live;
  const winner = route?.served ?? attempts.find(ok) ?? attempts.at(-1) ?? null;
  // Retries of one deployment with one error read once, with a count: "flaky/x: rate limit ×3".
  const counts = new Map<string, number>();
  for (const a of attempts) {
    if (a === winner || a.attempt === 0 || ok(a)) continue;
    const line = `${target(a)}: ${(a.errorKind ?? a.outcome ?? 'unfinished').replace(/_/g, ' ')}`;
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  const failures = [...counts].map(([line, n]) => (n > 1 ? `${line} ×${n}` : line));
  return {
    servedBy: winner === null || winner.attempt === 0 ? null : served(winner),
    failures,
    fallbacks: route?.fallbacks ?? Math.max(0, ...attempts.map((a) => a.fallbackDepth)),
    costUsd: route === null ? undefined : route.costUsd,
    cached: route?.cached ?? attempts.some((a) => a.outcome === 'cache_hit'),
  };
}

/** A stored route's token counts as a Usage (unknown counts left out, never 0). */
export function routeUsage(route: MessageRoute): Usage {
  const t = route.tokens;
  const known = (n: number | null) => (n === null ? undefined : n);
  const input = { total: known(t.input), noCache: known(t.inputNoCache), cacheRead: known(t.inputCacheRead), cacheWrite: known(t.inputCacheWrite) };
  const output = { total: known(t.output), text: known(t.outputText), reasoning: known(t.outputReasoning) };
  const strip = <T extends Record<string, number | undefined>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return { inputTokens: strip(input), outputTokens: strip(output) };
}
