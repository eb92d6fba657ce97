import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../shared/llm';
import { createDeployment } from './deployment';
import type { ModelGroup } from './model-group';
import { createHarness, expectWellFormed, prompt } from './testing/router-harness';
import { scriptedModel } from './testing/scripted-model';

describe('router: budget verdicts and the local fallback', () => {
  const localGroup = (): ModelGroup => ({
    name: 'local/tiny',
    strategy: 'ordered',
    deployments: [createDeployment({ provider: 'local', providerType: 'local', model: 'tiny' })],
    fallbacks: [],
  });

  function harness(verdict: 'ok' | 'block' | 'fallback-local', localFallback?: () => Promise<ModelGroup>) {
    const h = createHarness(
      { cloud: { deployments: [{ provider: 'openai', model: 'gpt' }, { provider: 'claude', model: 'sonnet' }] } },
      {
        budgets: (d) => (d.provider === 'openai' ? verdict : 'ok'),
        ...(localFallback && { localFallback }),
      },
    );
    return h;
  }

  it('a spent budget that blocks drops its deployments; the others still answer', async () => {
    const { records, result } = await harness('block').send({ model: 'cloud' });
    expect(result.error).toBeUndefined();
    expect(records.map((r) => r.deploymentId)).toEqual(['cloud#1']);
  });

  it('fallback-local reroutes to the local fallback when nothing else answers, one hop deeper', async () => {
    const h = createHarness(
      { cloud: { deployments: [{ provider: 'openai', model: 'gpt' }] } },
      { budgets: (d) => (d.provider === 'local' ? 'ok' : 'fallback-local'), localFallback: async () => localGroup() },
    );
    // The local deployment is resolved through the same resolveModel: give it a scripted model.
    h.models.set('local/tiny', scriptedModel(h.time, [{ tokens: ['local', ' answer'] }], { provider: 'local', modelId: 'tiny' }));
    const { parts, records, result } = await h.send({ model: 'cloud' });
    expectWellFormed(parts);
    expect(result.text).toBe('local answer');
    expect(records.map((r) => [r.attempt, r.fallbackDepth, r.group, r.deploymentId, r.outcome])).toEqual([[1, 1, 'local/tiny', 'local/tiny', 'success']]);
  });

  it('fallback-local does not reroute while another deployment answers', async () => {
    const h = harness('fallback-local', async () => {
      throw new Error('not asked');
    });
    const { records, result } = await h.send({ model: 'cloud' });
    expect(result.error).toBeUndefined();
    expect(records.map((r) => r.deploymentId)).toEqual(['cloud#1']);
  });

  it('a block verdict with nothing left is a budget error naming the deployment', async () => {
    const h = createHarness({ cloud: { deployments: [{ provider: 'openai', model: 'gpt' }] } }, { budgets: () => 'block' });
    const { records, result } = await h.send({ model: 'cloud' });
    expect(records).toEqual([]);
    expect(result.error).toMatchObject({ kind: 'budget', message: 'no deployment of "cloud" can take this request: openai/gpt: its budget is spent' });
  });

  it('fallback-local without a usable local model ends with the reason from localFallback', async () => {
    const h = createHarness(
      { cloud: { deployments: [{ provider: 'openai', model: 'gpt' }] } },
      {
        budgets: () => 'fallback-local',
        localFallback: async () => {
          throw new ProviderError({ kind: 'budget', message: 'no usable local model', retryable: false });
        },
      },
    );
    const { records, result } = await h.send({ model: 'cloud' });
    expect(records).toEqual([]);
    expect(result.error).toMatchObject({ kind: 'budget', message: 'no usable local model' });
  });

  it("a request's own budget check wins over the router's", async () => {
    const h = harness('ok');
    const { records } = await h.send({ model: 'cloud', budgets: (d) => d.provider !== 'openai' });
    expect(records.map((r) => r.deploymentId)).toEqual(['cloud#1']);
  });
});

describe('router: prompt token counting for the context filter', () => {
  it('asks for a count per group, and drops a deployment whose window cannot hold it', async () => {
    const h = createHarness({
      g: { deployments: [{ provider: 'a', model: 'small', contextWindow: 100 }, { provider: 'b', model: 'big', contextWindow: 10_000 }] },
    });
    const asked: string[][] = [];
    const { records } = await h.send({
      model: 'g',
      options: prompt('x', { maxOutputTokens: 50 }),
      countInputTokens: async (deployments) => {
        asked.push(deployments.map((d) => d.id));
        return { tokens: 80, estimated: false };
      },
    });
    expect(asked).toEqual([['g#0', 'g#1']]);
    expect(records.map((r) => r.deploymentId)).toEqual(['g#1']);
  });

  it('says when the count that dropped a deployment was an estimate', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'small', contextWindow: 100 }] } });
    const { result } = await h.send({ model: 'g', options: prompt('x', { maxOutputTokens: 50 }), countInputTokens: async () => ({ tokens: 80, estimated: true }) });
    expect(result.error).toMatchObject({ kind: 'context_length', message: 'no deployment of "g" can take this request: a/small: context window of 100 tokens cannot hold 130 (prompt, estimated, + max output)' });
  });

  it('an undefined count (fits by a safe bound) skips the context check', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'small', contextWindow: 10 }] } });
    const { records } = await h.send({ model: 'g', countInputTokens: async () => undefined });
    expect(records.map((r) => r.outcome)).toEqual(['success']);
  });
});

describe('router: resolve', () => {
  it('names the group a request would start in, by rule or by name, without calling anything', () => {
    const h = createHarness(
      { coder: { deployments: [{ provider: 'a', model: 'a' }] }, chat: { deployments: [{ provider: 'b', model: 'b' }] } },
      { rules: [{ when: { prompt: /\bstack trace\b/i }, use: 'coder' }] },
    );
    expect(h.router.resolve({ model: 'chat', options: prompt('Here is a Stack Trace') })).toMatchObject({ group: { name: 'coder' }, via: 'rule' });
    expect(h.router.resolve({ model: 'chat', options: prompt('hello') })).toMatchObject({ group: { name: 'chat' }, via: 'group' });
    expect(() => h.router.resolve({ model: 'nope', options: prompt() })).toThrow(/no model "nope"/);
    expect(h.records).toEqual([]);
  });
});
