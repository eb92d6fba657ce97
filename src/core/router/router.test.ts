import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../catalog';
import { createHarness, expectWellFormed, prompt } from './testing/router-harness';

const priced: CatalogEntry = {
  provider: 'openai',
  modelId: 'gpt-4o',
  local: false,
  prices: { input: 2, output: 10 },
  capabilities: {},
  transforms: {},
  sources: ['package'],
};

describe('router: the happy path', () => {
  it('streams one well-formed answer and records one attempt with usage, cost, latency and TTFT', async () => {
    const h = createHarness({ gpt: { deployments: [{ provider: 'openai', model: 'gpt-4o', entry: priced, scripts: [{ ttftMs: 120, tokenMs: 30, tokens: ['a', 'b', 'c'], usage: { input: 1000, output: 3 } }] }] } });
    const { parts, result, records, routed } = await h.send({ model: 'gpt', requestId: 'r1' });
    expectWellFormed(parts);
    expect(routed).toMatchObject({ requestId: 'r1', group: 'gpt', via: 'group' });
    expect(result.text).toBe('abc');
    expect(result.finishReason.unified).toBe('stop');
    expect(parts.filter((p) => p.type === 'response-metadata')).toHaveLength(1);
    expect(records).toEqual([
      {
        requestId: 'r1',
        attempt: 1,
        fallbackDepth: 0,
        group: 'gpt',
        deploymentId: 'gpt#0',
        provider: 'openai',
        model: 'gpt-4o',
        outcome: 'success',
        usage: { inputTokens: { total: 1000 }, outputTokens: { total: 3 } },
        costUsd: (1000 * 2 + 3 * 10) / 1_000_000,
        startedAt: 1_000_000,
        latencyMs: 180,
        ttftMs: 120,
        streamed: true,
      },
    ]);
    expect(h.router.inFlight('gpt#0')).toBe(0);
    expect(h.router.health()).toEqual([expect.objectContaining({ deploymentId: 'gpt#0', requests: 1, successRate: 1, p50LatencyMs: 180, p50TtftMs: 120, breaker: 'closed' })]);
  });

  it('passes the call options through, with its own abort signal', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'p', model: 'm' }] } });
    await h.send({ model: 'g', options: prompt('hello', { temperature: 0.2 }) });
    const call = h.models.get('g#0')!.calls[0]!;
    expect(call.temperature).toBe(0.2);
    expect(call.abortSignal).toBeInstanceOf(AbortSignal);
  });

  it('rejects with not_found, listing what exists, when the name resolves to nothing', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'p', model: 'm' }] } });
    await expect(h.router.stream({ model: 'nope', options: prompt() })).rejects.toMatchObject({ kind: 'not_found', message: expect.stringContaining('Groups: g') });
    expect(h.records).toEqual([]);
  });

  it('routes provider/model and bare names through ad-hoc groups', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'p', model: 'm' }] } }, { providerTypes: { p: 'openai' } });
    h.models.set('p/gpt-4o', h.models.get('g#0')!);
    expect((await h.send({ model: 'p/gpt-4o' })).records[0]).toMatchObject({ deploymentId: 'p/gpt-4o', group: 'p/gpt-4o', outcome: 'success' });
    expect((await h.send({ model: 'gpt-4o' })).routed.via).toBe('convention');
  });

  it('ignores an onAttempt that throws', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'p', model: 'm' }] } }, { onAttempt: () => { throw new Error('disk full'); } });
    const { result } = await h.send({ model: 'g' });
    expect(result.text).toBe('Hello');
  });
});

describe('router: retries', () => {
  it('a 429 with Retry-After on the primary moves to the healthy secondary at once, without sleeping', async () => {
    const h = createHarness({
      g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ reject: { kind: 'rate_limit', retryAfterMs: 20_000 } }] }, { provider: 'b', model: 'b' }] },
    });
    const { parts, records, result } = await h.send({ model: 'g' });
    expectWellFormed(parts);
    expect(result.text).toBe('Hello');
    expect(h.time.sleeps).toEqual([]);
    expect(records.map((r) => [r.attempt, r.deploymentId, r.outcome, r.errorKind])).toEqual([
      [1, 'g#0', 'error', 'rate_limit'],
      [2, 'g#1', 'success', undefined],
    ]);
  });

  it('with no peer, waits out Retry-After and tries the same deployment again', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ fault: { kind: 'rate_limit', retryAfterMs: 2_000 } }, {}] }] } });
    const { records, result } = await h.send({ model: 'g' });
    expect(result.error).toBeUndefined();
    expect(h.time.sleeps).toEqual([2_000]);
    expect(records.map((r) => [r.deploymentId, r.outcome, r.startedAt])).toEqual([
      ['g#0', 'error', 1_000_000],
      ['g#0', 'success', 1_002_000],
    ]);
  });

  it('backs off exponentially with jitter and gives up after maxRetries with the last error as an error part', async () => {
    const h = createHarness(
      { g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ fault: { kind: 'server' } }] }] } },
      { policy: { retry: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 3000, maxRetryAfterMs: 60_000, retryOn: new Set(['server']) } }, seed: 3 },
    );
    const { parts, records, result } = await h.send({ model: 'g' });
    expectWellFormed(parts);
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'error', 'finish']);
    expect(result.error?.kind).toBe('server');
    expect(result.finishReason.unified).toBe('error');
    expect(records).toHaveLength(4);
    expect(h.time.sleeps).toHaveLength(3);
    const ceilings = [1000, 2000, 3000];
    h.time.sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(ceilings[i]!);
    });
  });

  it.each(['auth', 'bad_request', 'not_found', 'content_filter', 'context_length', 'budget'] as const)('does not retry %s', async (kind) => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ fault: { kind } }] }, { provider: 'b', model: 'b' }] } });
    const { records, result } = await h.send({ model: 'g' });
    expect(records).toHaveLength(1);
    expect(result.error?.kind).toBe(kind);
  });

  it.each(['rate_limit', 'timeout', 'connection', 'server', 'engine_crashed'] as const)('retries %s', async (kind) => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ fault: { kind } }, {}] }] } });
    const { records, result } = await h.send({ model: 'g' });
    expect(records.map((r) => r.outcome)).toEqual(['error', 'success']);
    expect(result.error).toBeUndefined();
  });

  it('trusts an adapter that says a retryable kind is not retryable (insufficient quota)', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ reject: { kind: 'rate_limit', retryable: false } }] }, { provider: 'b', model: 'b' }] } });
    expect((await h.send({ model: 'g' })).records).toHaveLength(1);
  });

  it('gives up at once when Retry-After is longer than it will wait, and falls back', async () => {
    const h = createHarness({
      g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ reject: { kind: 'rate_limit', retryAfterMs: 3_600_000 } }] }], fallbacks: ['f'] },
      f: { deployments: [{ provider: 'b', model: 'b' }] },
    });
    const { records } = await h.send({ model: 'g' });
    expect(h.time.sleeps).toEqual([]);
    expect(records.map((r) => [r.deploymentId, r.fallbackDepth])).toEqual([
      ['g#0', 0],
      ['f#0', 1],
    ]);
  });

  it('treats a stream that ends without a finish part as a connection error', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ tokens: [], noFinish: true }, {}] }] } });
    const { records } = await h.send({ model: 'g' });
    expect(records[0]).toMatchObject({ outcome: 'error', errorKind: 'connection', error: { message: expect.stringContaining('without a finish part') } });
    expect(records[1]!.outcome).toBe('success');
  });

  it('wraps a foreign throw from resolveModel as a connection error', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a' }] } }, { policy: { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, retryOn: new Set() } } });
    h.models.delete('g#0');
    const { result, records } = await h.send({ model: 'g' });
    expect(result.error).toMatchObject({ kind: 'connection', message: 'no scripted model for g#0' });
    expect(records).toHaveLength(1);
  });
});

describe('router: no silent retry after the first token', () => {
  it('reports a failure mid-stream as an error part then finish, keeping the partial text and usage', async () => {
    const h = createHarness({
      g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ tokens: ['a', 'b', 'c'], fault: { kind: 'connection', afterTokens: 2 } }] }, { provider: 'b', model: 'b' }], fallbacks: ['f'] },
      f: { deployments: [{ provider: 'c', model: 'c' }] },
    });
    const { parts, result, records } = await h.send({ model: 'g' });
    expectWellFormed(parts);
    expect(result.text).toBe('ab');
    expect(result.error?.kind).toBe('connection');
    expect(result.finishReason.unified).toBe('error');
    expect(result.usage.outputTokens.total).toBe(2);
    expect(records).toEqual([expect.objectContaining({ outcome: 'error', errorKind: 'connection', streamed: true, usage: result.usage })]);
    expect(h.models.get('g#1')!.calls).toHaveLength(0);
    expect(h.models.get('f#0')!.calls).toHaveLength(0);
  });

  it('a failure before the first token is retried, and only one stream-start reaches the caller', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ fault: { kind: 'server', afterTokens: 0 } }] }, { provider: 'b', model: 'b' }] } });
    const { parts, result } = await h.send({ model: 'g' });
    expectWellFormed(parts);
    expect(result.text).toBe('Hello');
  });

  it('an answer with no content still streams its parts and finish', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ tokens: [] }] }] } });
    const { parts, records } = await h.send({ model: 'g' });
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'response-metadata', 'finish']);
    expect(records[0]).toMatchObject({ outcome: 'success', streamed: false });
    expect(records[0]!.ttftMs).toBeUndefined();
  });
});

describe('router: aborts are never retried', () => {
  it('an abort mid-stream ends with an aborted finish and one aborted attempt', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ tokens: ['x'], hang: true }] }, { provider: 'b', model: 'b' }], fallbacks: ['g'] } });
    const controller = new AbortController();
    const routed = await h.router.stream({ model: 'g', options: prompt('hi', { abortSignal: controller.signal }) });
    const reader = routed.stream.getReader();
    const seen: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen.push(value.type);
      if (value.type === 'text-delta') controller.abort();
    }
    expect(seen).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta', 'error', 'finish']);
    expect(h.records.map((r) => [r.outcome, r.errorKind])).toEqual([['aborted', 'aborted']]);
    expect(h.models.get('g#1')!.calls).toHaveLength(0);
    expect(h.router.health()[0]!.requests).toBe(0);
  });

  it('an abort before any token is not retried either', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ fault: { kind: 'aborted' } }] }, { provider: 'b', model: 'b' }] } });
    const { result, records } = await h.send({ model: 'g' });
    expect(result.finishReason.unified).toBe('aborted');
    expect(records.map((r) => r.outcome)).toEqual(['aborted']);
  });

  it('a signal aborted before the call yields an aborted finish without calling the model or recording an attempt', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a' }] } });
    const controller = new AbortController();
    controller.abort();
    const { parts, result, records } = await h.send({ model: 'g', options: prompt('hi', { abortSignal: controller.signal }) });
    expectWellFormed(parts);
    expect(result.finishReason.unified).toBe('aborted');
    expect(records).toEqual([]);
    expect(h.models.get('g#0')!.calls).toHaveLength(0);
  });

  it('an abort while sleeping before a retry stops the request', async () => {
    const controller = new AbortController();
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ fault: { kind: 'server' } }] }] } }, { onSleep: () => controller.abort() });
    const { parts, result, records } = await h.send({ model: 'g', options: prompt('x', { abortSignal: controller.signal }) });
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'error', 'finish']);
    expect(result.finishReason.unified).toBe('aborted');
    expect(records.map((r) => r.outcome)).toEqual(['error']);
    expect(h.models.get('g#0')!.calls).toHaveLength(1);
  });

  it('a caller that cancels the stream mid-answer ends the attempt as aborted, recorded once', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ tokens: ['a', 'b', 'c', 'd'] }] }] } });
    const routed = await h.router.stream({ model: 'g', options: prompt() });
    const reader = routed.stream.getReader();
    for (;;) {
      const { value } = await reader.read();
      if (value?.type === 'text-delta') break;
    }
    await reader.cancel();
    expect(h.records.map((r) => [r.outcome, r.streamed])).toEqual([['aborted', true]]);
    expect(h.router.inFlight('g#0')).toBe(0);
  });
});
