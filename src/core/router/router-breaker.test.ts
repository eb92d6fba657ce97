import { describe, expect, it } from 'vitest';
import { createHarness, expectWellFormed } from './testing/router-harness';

const noRetry = { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, retryOn: new Set<never>() };

describe('router: circuit breaker and health', () => {
  it('a 500 storm opens the breaker; a one-deployment group answers with a clear error while it cools; it closes after the cooldown', async () => {
    const h = createHarness(
      { g: { deployments: [{ provider: 'openai', model: 'gpt', scripts: [{ reject: { kind: 'server' } }, { reject: { kind: 'server' } }, { reject: { kind: 'server' } }, { reject: { kind: 'server' } }, { reject: { kind: 'server' } }, {}] }] } },
      { policy: { retry: noRetry } },
    );
    for (let i = 0; i < 5; i++) {
      await h.send({ model: 'g' });
      h.time.advance(1000);
    }
    expect(h.router.health()[0]).toMatchObject({ breaker: 'open', successRate: 0, lastError: { kind: 'server' } });

    const cooling = await h.send({ model: 'g' });
    expectWellFormed(cooling.parts);
    expect(cooling.records).toEqual([]);
    expect(cooling.result.error).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 29_000 });
    expect(cooling.result.error?.message).toBe('no deployment of "g" can take this request: openai/gpt: cooling down for another 29 s after failures');

    h.time.advance(29_000);
    expect(h.router.health()[0]!.breaker).toBe('half-open');
    const probe = await h.send({ model: 'g' });
    expect(probe.result.error).toBeUndefined();
    expect(h.router.health()[0]!.breaker).toBe('closed');
  });

  it('an auth error opens it at once, and the group moves to the peer on the next request without trying it', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ reject: { kind: 'auth' } }] }, { provider: 'b', model: 'b' }] } });
    const first = await h.send({ model: 'g' });
    expect(first.result.error?.kind).toBe('auth');
    const second = await h.send({ model: 'g' });
    expect(second.records.map((r) => r.deploymentId)).toEqual(['g#1']);
    expect(h.models.get('g#0')!.calls).toHaveLength(1);
  });

  it('a failed half-open probe opens it again', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ reject: { kind: 'budget' } }, { reject: { kind: 'timeout' } }, {}] }] } }, { policy: { retry: noRetry } });
    await h.send({ model: 'g' });
    h.time.advance(30_000);
    expect((await h.send({ model: 'g' })).records[0]!.errorKind).toBe('timeout');
    expect(h.router.health()[0]!.breaker).toBe('open');
    expect((await h.send({ model: 'g' })).records).toEqual([]);
  });

  it('a breaker that opens during retries ends the group: no sleeping on an open deployment', async () => {
    const h = createHarness(
      { g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ reject: { kind: 'server' } }] }], fallbacks: ['f'] }, f: { deployments: [{ provider: 'b', model: 'b' }] } },
      { policy: { retry: { maxRetries: 10, baseDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 100, retryOn: new Set(['server']) } } },
    );
    const { records } = await h.send({ model: 'g' });
    expect(records.map((r) => r.group)).toEqual(['g', 'g', 'g', 'g', 'g', 'f']);
    expect(h.time.sleeps).toHaveLength(4);
  });

  it('health lists every known deployment with its breaker', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a' }, { provider: 'b', model: 'b' }] } });
    await h.send({ model: 'g' });
    expect(h.router.health().map((x) => [x.deploymentId, x.requests, x.breaker])).toEqual([
      ['g#0', 1, 'closed'],
      ['g#1', 0, 'closed'],
    ]);
  });
});
