import { describe, expect, it } from 'vitest';
import { DEFAULT_BREAKER_POLICY } from './circuit-breaker';
import { DeploymentState } from './deployment-state';
import type { AttemptRecord, AttemptStart } from './router-types';
import { createHarness } from './testing/router-harness';
import { createVirtualTime } from './testing/virtual-time';

describe('router: attempt-start hooks and shared state', () => {
  it('reports each attempt as it starts (router-wide and per request), before its record', async () => {
    const events: string[] = [];
    const h = createHarness(
      { g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ reject: { kind: 'server' } }] }, { provider: 'b', model: 'b' }] } },
      { onAttemptStart: (s) => events.push(`wide-start ${s.attempt} ${s.deploymentId}`) },
    );
    const starts: AttemptStart[] = [];
    const ends: AttemptRecord[] = [];
    await h.send({
      model: 'g',
      onAttemptStart: (s) => {
        starts.push(s);
        events.push(`start ${s.attempt}`);
      },
      onAttempt: (r) => {
        ends.push(r);
        events.push(`end ${r.attempt} ${r.outcome}`);
      },
    });
    expect(events).toEqual(['wide-start 1 g#0', 'start 1', 'end 1 error', 'wide-start 2 g#1', 'start 2', 'end 2 success']);
    expect(starts.map((s) => [s.requestId, s.fallbackDepth, s.provider, s.model, s.group])).toEqual([
      [ends[0]!.requestId, 0, 'a', 'a', 'g'],
      [ends[1]!.requestId, 0, 'b', 'b', 'g'],
    ]);
    expect(starts.map((s) => s.startedAt)).toEqual(ends.map((r) => r.startedAt));
    expect(h.records).toHaveLength(2);
  });

  it('a hook that throws changes nothing', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a' }] } }, { onAttemptStart: () => { throw new Error('boom'); } });
    const { result, records } = await h.send({ model: 'g', onAttemptStart: () => { throw new Error('boom'); } });
    expect(result.error).toBeUndefined();
    expect(records).toHaveLength(1);
  });

  it('a state passed in is shared: a second router over it sees the first one\'s breakers and health', async () => {
    const time = createVirtualTime();
    const state = new DeploymentState(DEFAULT_BREAKER_POLICY, time.clock, 300_000);
    const first = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ reject: { kind: 'auth' } }] }] } }, { state });
    await first.send({ model: 'g' });
    const second = createHarness({ g: { deployments: [{ provider: 'a', model: 'a' }] } }, { state });
    expect(second.router.health()[0]).toMatchObject({ deploymentId: 'g#0', breaker: 'open', lastError: { kind: 'auth' } });
    expect((await second.send({ model: 'g' })).records).toEqual([]);
  });
});
