import { describe, expect, it } from 'vitest';
import { type CallRecord } from '../store';
import { messageRoute } from './message-route';

function row(extra: Partial<CallRecord>): CallRecord {
  return {
    id: 'x', requestId: 'r', attempt: 1, fallbackDepth: 0, conversationId: 'c', provider: 'openai', model: 'gpt-4o', deployment: 'g#0',
    inputTokens: { total: null, noCache: null, cacheRead: null, cacheWrite: null }, outputTokens: { total: null, text: null, reasoning: null },
    costUsd: 0, latencyMs: 10, ttftMs: null, outcome: 'error', errorKind: 'rate_limit', errorMessage: 'slow down', startedAt: 1000, endedAt: 1010, client: 'chat',
    ...extra,
  };
}

describe('messageRoute', () => {
  it('names the serving attempt, the fallbacks taken, its tokens and timings, and the cost of every attempt', () => {
    const route = messageRoute('r', [
      row({ costUsd: null }),
      row({
        attempt: 2, fallbackDepth: 1, provider: 'claude', model: 'sonnet', deployment: 'f#0', outcome: 'success', errorKind: null,
        inputTokens: { total: 12, noCache: 10, cacheRead: 2, cacheWrite: null }, outputTokens: { total: 5, text: 4, reasoning: 1 },
        costUsd: 0.5, latencyMs: 300, ttftMs: 120, startedAt: 1020, endedAt: 1320,
      }),
    ]);
    expect(route).toEqual({
      requestId: 'r',
      attempts: [
        { attempt: 1, fallbackDepth: 0, deployment: 'g#0', provider: 'openai', model: 'gpt-4o', outcome: 'error', errorKind: 'rate_limit', latencyMs: 10, ttftMs: null },
        { attempt: 2, fallbackDepth: 1, deployment: 'f#0', provider: 'claude', model: 'sonnet', outcome: 'success', errorKind: null, latencyMs: 300, ttftMs: 120 },
      ],
      served: { attempt: 2, fallbackDepth: 1, deployment: 'f#0', provider: 'claude', model: 'sonnet', outcome: 'success', errorKind: null, latencyMs: 300, ttftMs: 120 },
      fallbacks: 1,
      tokens: { input: 12, inputNoCache: 10, inputCacheRead: 2, inputCacheWrite: null, output: 5, outputText: 4, outputReasoning: 1 },
      // One attempt's cost is unknown: so is the total.
      costUsd: null,
      latencyMs: 320,
      ttftMs: 120,
      cached: false,
    });
  });

  it('without a success the last attempt is the one shown; without rows there is nothing', () => {
    expect(messageRoute('r', [row({}), row({ attempt: 2, errorKind: 'server' })]).served).toMatchObject({ attempt: 2, errorKind: 'server' });
    expect(messageRoute('r', [])).toMatchObject({ attempts: [], served: null, costUsd: null, latencyMs: null, cached: false });
    expect(messageRoute('r', [row({ outcome: 'cache_hit', errorKind: null })])).toMatchObject({ cached: true, costUsd: 0 });
  });
});
