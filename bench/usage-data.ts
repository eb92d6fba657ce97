/**
 * Generated usage history for the dashboard benchmark and the dashboard screenshot: call rows spread
 * over a span of days with a daily rhythm, ten deployments across cloud and local providers, errors,
 * aborts, prompt caching and reasoning where those providers have them, and a few rows in flight.
 * Written through the real store API (one transaction, so the rollup triggers run as in the app).
 */
import type { CallRecord, Store } from '../src/core/store';
import { seededRandom } from '../src/shared/seeded-random';

interface Deployment {
  provider: string;
  model: string;
  deployment: string | null;
  /** USD per 1M input / output tokens; null for local. */
  prices: [number, number] | null;
  /** Share of calls. */
  weight: number;
  latencyMs: number;
  cache: boolean;
  reasoning: boolean;
}

export const DEPLOYMENTS: readonly Deployment[] = [
  { provider: 'openai', model: 'gpt-4o-mini', deployment: 'fast#0', prices: [0.15, 0.6], weight: 22, latencyMs: 900, cache: true, reasoning: false },
  { provider: 'openai', model: 'gpt-4o', deployment: 'smart#1', prices: [2.5, 10], weight: 8, latencyMs: 2200, cache: true, reasoning: false },
  { provider: 'openai', model: 'o4-mini', deployment: null, prices: [1.1, 4.4], weight: 4, latencyMs: 6000, cache: true, reasoning: true },
  { provider: 'claude', model: 'claude-haiku-4-5', deployment: 'fast#1', prices: [1, 5], weight: 12, latencyMs: 1100, cache: true, reasoning: false },
  { provider: 'claude', model: 'claude-sonnet-4-5', deployment: 'smart#0', prices: [3, 15], weight: 10, latencyMs: 3200, cache: true, reasoning: true },
  { provider: 'ds', model: 'deepseek-chat', deployment: null, prices: [0.27, 1.1], weight: 6, latencyMs: 1800, cache: true, reasoning: false },
  { provider: 'or', model: 'meta-llama/llama-3.3-70b-instruct', deployment: null, prices: [0.13, 0.4], weight: 4, latencyMs: 1500, cache: false, reasoning: false },
  { provider: 'local', model: 'local/qwen2.5-0.5b-instruct-q4_k_m', deployment: 'fast#2', prices: null, weight: 18, latencyMs: 700, cache: false, reasoning: false },
  { provider: 'local', model: 'local/llama-3.2-3b-instruct-q4_k_m', deployment: null, prices: null, weight: 10, latencyMs: 2400, cache: false, reasoning: false },
  { provider: 'ollama', model: 'llama3.2', deployment: null, prices: null, weight: 6, latencyMs: 1600, cache: false, reasoning: false },
];

export interface GenerateOptions {
  calls: number;
  /** The newest call starts before this instant. */
  end: number;
  days: number;
  seed?: number;
  /** Calls per conversation, on average. */
  perConversation?: number;
}

/** Writes the conversations and call rows; returns how many calls were left in flight. */
export function generateUsage(store: Store, options: GenerateOptions): { inFlight: number; conversations: number } {
  const random = seededRandom(options.seed ?? 7);
  const span = options.days * 86_400_000;
  const start = options.end - span;
  const perConversation = options.perConversation ?? 20;
  const totalWeight = DEPLOYMENTS.reduce((sum, d) => sum + d.weight, 0);
  const pick = (): Deployment => {
    let r = random() * totalWeight;
    for (const d of DEPLOYMENTS) {
      r -= d.weight;
      if (r < 0) return d;
    }
    return DEPLOYMENTS[0] as Deployment;
  };
  // Busier in the working day: accept a time with a probability that follows the hour.
  const when = (): number => {
    for (;;) {
      const t = start + Math.floor(random() * span);
      const hour = new Date(t).getUTCHours();
      if (random() < 0.25 + 0.75 * Math.max(0, Math.sin(((hour - 6) / 14) * Math.PI))) return t;
    }
  };
  const lognormal = (median: number): number => Math.max(1, Math.round(median * Math.exp(0.5 * gaussian(random))));

  let inFlight = 0;
  let conversations = 0;
  store.transaction(() => {
    let conversationId: string | null = null;
    let conversationStart = 0;
    let left = 0;
    for (let i = 0; i < options.calls; i++) {
      if (left === 0) {
        conversations++;
        conversationId = random() < 0.1 ? null : `conv-${conversations}`;
        conversationStart = when();
        left = 1 + Math.floor(random() * perConversation * 2);
        if (conversationId !== null) {
          store.conversations.create({ id: conversationId, title: TITLES[conversations % TITLES.length] as string, model: null, createdAt: conversationStart });
        }
      }
      left--;
      const d = pick();
      const startedAt = Math.min(options.end - 1, conversationStart + Math.floor(random() * 3_600_000));
      const roll = random();
      const outcome: CallRecord['outcome'] = roll < 0.001 ? null : roll < 0.031 ? 'error' : roll < 0.041 ? 'aborted' : 'success';
      const base: CallRecord = {
        id: `call-${i}`,
        requestId: `req-${i}`,
        attempt: 1,
        fallbackDepth: 0,
        conversationId,
        provider: d.provider,
        model: d.model,
        deployment: d.deployment,
        startedAt,
        client: 'ipc',
        inputTokens: { total: null, noCache: null, cacheRead: null, cacheWrite: null },
        outputTokens: { total: null, text: null, reasoning: null },
        costUsd: null,
        latencyMs: null,
        ttftMs: null,
        outcome,
        errorKind: null,
        errorMessage: null,
        endedAt: null,
      };
      if (outcome === null) {
        inFlight++;
        store.calls.insert(base);
        continue;
      }
      const latencyMs = lognormal(d.latencyMs);
      const input = 200 + Math.floor(random() * 4000);
      const cacheRead = d.cache && random() < 0.4 ? Math.floor(input * 0.6) : 0;
      const cacheWrite = d.provider === 'claude' && cacheRead === 0 && random() < 0.2 ? Math.floor(input * 0.5) : 0;
      const output = outcome === 'error' ? 0 : 50 + Math.floor(random() * 800);
      const reasoning = d.reasoning ? Math.floor(output * 0.6) : 0;
      const noCache = input - cacheRead - cacheWrite;
      const cost =
        d.prices === null ? 0 : (noCache * d.prices[0] + cacheRead * d.prices[0] * 0.1 + cacheWrite * d.prices[0] * 1.25 + output * d.prices[1]) / 1e6;
      store.calls.insert({
        ...base,
        inputTokens: { total: input, noCache, cacheRead, cacheWrite },
        outputTokens: { total: output, text: output - reasoning, reasoning },
        costUsd: cost,
        latencyMs,
        ttftMs: outcome === 'error' ? null : Math.max(1, Math.round(latencyMs * (0.1 + 0.2 * random()))),
        errorKind: outcome === 'error' ? (random() < 0.6 ? 'rate_limit' : 'server') : outcome === 'aborted' ? 'aborted' : null,
        errorMessage: outcome === 'error' ? 'generated failure' : null,
        endedAt: startedAt + latencyMs,
      });
    }
  });
  return { inFlight, conversations };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const TITLES = [
  'Refactor the payment retry loop',
  'Summarise the Q3 incident report',
  'Translate onboarding emails to German',
  'Why does the build cache miss?',
  'Draft release notes for 2.4',
  'SQL for churn by cohort',
  'Explain the breaker half-open state',
  'Review: auth middleware',
  'Write tests for the CSV parser',
  'Plan the data migration',
  'Name ideas for the CLI',
  'Benchmark results, explained',
];
