import { describe, expect, it } from 'vitest';
import { createDeployment } from './deployment';
import { filterDeployments, NoDeploymentError, requirementsOf } from './filters';
import { prompt } from './testing/router-harness';

const now = 1_000_000;
const vision = createDeployment({ provider: 'openai', model: 'gpt-4o', capabilities: { vision: true, tools: true }, contextWindow: 1000 });
const textOnly = createDeployment({ provider: 'local', model: 'tiny', capabilities: { vision: false, tools: false, jsonSchema: false, reasoning: false, json: false }, contextWindow: 100 });
const unknown = createDeployment({ provider: 'or', model: 'mystery' });

describe('requirementsOf', () => {
  it('reads images, tools, JSON, JSON schema, reasoning and sizes from the call', () => {
    const options = prompt('x', {
      tools: [{ name: 't', inputSchema: {} }],
      responseFormat: { type: 'json-schema', schema: {} },
      reasoning: { effort: 'low' },
      maxOutputTokens: 50,
    });
    options.messages.push({ role: 'user', content: [{ type: 'image', mediaType: 'image/png', data: 'AAAA' }] });
    expect(requirementsOf(options, 20)).toEqual({ capabilities: ['vision', 'tools', 'jsonSchema', 'reasoning'], inputTokens: 20, maxOutputTokens: 50 });
    expect(requirementsOf(prompt('x', { tools: [{ name: 't', inputSchema: {} }], toolChoice: 'none', responseFormat: { type: 'json' } }))).toEqual({ capabilities: ['json'] });
  });
});

describe('filterDeployments', () => {
  it('keeps everything for a plain request; unknown capabilities are not lacking', () => {
    const { kept, dropped } = filterDeployments([vision, textOnly, unknown], { requirements: { capabilities: ['tools'] }, now });
    expect(kept).toEqual([vision, unknown]);
    expect(dropped).toEqual([{ deployment: textOnly, reason: { kind: 'capability', capability: 'tools' } }]);
  });

  it.each(['vision', 'tools', 'json', 'jsonSchema', 'reasoning'] as const)('drops a deployment that lacks %s', (capability) => {
    const { dropped } = filterDeployments([textOnly], { requirements: { capabilities: [capability] }, now });
    expect(dropped[0]!.reason).toEqual({ kind: 'capability', capability });
  });

  it('drops one whose context cannot hold prompt + max output; unknown windows pass', () => {
    const { kept, dropped } = filterDeployments([vision, textOnly, unknown], { requirements: { capabilities: [], inputTokens: 80, maxOutputTokens: 30 }, now });
    expect(kept).toEqual([vision, unknown]);
    expect(dropped[0]!.reason).toEqual({ kind: 'context', neededTokens: 110, contextWindow: 100 });
    expect(filterDeployments([textOnly], { requirements: { capabilities: [], inputTokens: 100 }, now }).kept).toEqual([textOnly]);
  });

  it('drops one whose budget is spent, and one cooling down', () => {
    const { kept, dropped } = filterDeployments([vision, textOnly, unknown], {
      requirements: { capabilities: [] },
      now,
      budgetSpent: (d) => d === vision,
      coolingDownUntil: (d) => (d === textOnly ? now + 12_000 : undefined),
    });
    expect(kept).toEqual([unknown]);
    expect(dropped.map((d) => d.reason)).toEqual([{ kind: 'budget' }, { kind: 'cooldown', untilMs: now + 12_000 }]);
  });
});

describe('NoDeploymentError', () => {
  it('says why each candidate was dropped', () => {
    const error = new NoDeploymentError(
      'coder',
      [
        { deployment: vision, reason: { kind: 'budget' } },
        { deployment: textOnly, reason: { kind: 'capability', capability: 'vision' } },
        { deployment: unknown, reason: { kind: 'context', neededTokens: 5000, contextWindow: 4096 } },
      ],
      now,
    );
    expect(error.message).toBe(
      'no deployment of "coder" can take this request: openai/gpt-4o: its budget is spent; local/tiny: does not support images; ' +
        'or/mystery: context window of 4096 tokens cannot hold 5000 (prompt + max output)',
    );
    expect(error.kind).toBe('bad_request');
    expect(error.retryable).toBe(false);
  });

  it('picks a kind from the reasons: cooldown is a retryable rate limit with the soonest retry', () => {
    const cooling = new NoDeploymentError(
      'g',
      [
        { deployment: vision, reason: { kind: 'cooldown', untilMs: now + 30_000 } },
        { deployment: textOnly, reason: { kind: 'cooldown', untilMs: now + 5_000 } },
      ],
      now,
    );
    expect(cooling.toData()).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 5_000 });
    expect(cooling.message).toContain('local/tiny: cooling down for another 5 s after failures');
    expect(new NoDeploymentError('g', [{ deployment: vision, reason: { kind: 'budget' } }], now).kind).toBe('budget');
    expect(new NoDeploymentError('g', [{ deployment: vision, reason: { kind: 'context', neededTokens: 2, contextWindow: 1 } }], now).kind).toBe('context_length');
    expect(new NoDeploymentError('g', [], now).message).toMatch(/the group has no deployments/);
  });
});
