import { describe, expect, it } from 'vitest';
import { createHarness, expectWellFormed, prompt } from './testing/router-harness';

describe('router: fallbacks wrap retries', () => {
  it('runs the group fallbacks in order once retries are spent, at depth 1, numbering attempts across', async () => {
    const h = createHarness(
      {
        g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ fault: { kind: 'server' } }] }], fallbacks: ['f1', 'f2'] },
        f1: { deployments: [{ provider: 'b', model: 'b', scripts: [{ reject: { kind: 'auth' } }] }] },
        f2: { deployments: [{ provider: 'c', model: 'c' }] },
      },
      { policy: { retry: { maxRetries: 1, baseDelayMs: 100, maxDelayMs: 100, maxRetryAfterMs: 1000, retryOn: new Set(['server']) } } },
    );
    const { parts, result, records } = await h.send({ model: 'g' });
    expectWellFormed(parts);
    expect(result.text).toBe('Hello');
    expect(records.map((r) => [r.attempt, r.fallbackDepth, r.group, r.outcome, r.errorKind])).toEqual([
      [1, 0, 'g', 'error', 'server'],
      [2, 0, 'g', 'error', 'server'],
      [3, 1, 'f1', 'error', 'auth'],
      [4, 1, 'f2', 'success', undefined],
    ]);
  });

  it("follows a fallback's own fallbacks up to the maximum depth, and skips cycles", async () => {
    const fail = [{ reject: { kind: 'bad_request' as const } }];
    const h = createHarness(
      {
        a: { deployments: [{ provider: 'a', model: 'a', scripts: fail }], fallbacks: ['b'] },
        b: { deployments: [{ provider: 'b', model: 'b', scripts: fail }], fallbacks: ['a', 'c'] },
        c: { deployments: [{ provider: 'c', model: 'c', scripts: fail }], fallbacks: ['d'] },
        d: { deployments: [{ provider: 'd', model: 'd' }] },
      },
      { policy: { maxFallbackDepth: 2 } },
    );
    const { result, records } = await h.send({ model: 'a' });
    expect(records.map((r) => [r.group, r.fallbackDepth])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    expect(result.error?.kind).toBe('bad_request');
    const deeper = createHarness(
      {
        a: { deployments: [{ provider: 'a', model: 'a', scripts: fail }], fallbacks: ['b'] },
        b: { deployments: [{ provider: 'b', model: 'b', scripts: fail }], fallbacks: ['c'] },
        c: { deployments: [{ provider: 'c', model: 'c', scripts: fail }], fallbacks: ['d'] },
        d: { deployments: [{ provider: 'd', model: 'd' }] },
      },
      { policy: { maxFallbackDepth: 3 } },
    );
    expect((await deeper.send({ model: 'a' })).records.at(-1)).toMatchObject({ group: 'd', fallbackDepth: 3, outcome: 'success' });
  });

  it('a context_length error takes the context-window fallbacks, not the general ones', async () => {
    const h = createHarness({
      small: { deployments: [{ provider: 'a', model: 'a', scripts: [{ fault: { kind: 'context_length' } }] }], fallbacks: ['general'], contextWindowFallbacks: ['big'] },
      big: { deployments: [{ provider: 'b', model: 'b' }] },
      general: { deployments: [{ provider: 'c', model: 'c' }] },
    });
    expect((await h.send({ model: 'small' })).records.map((r) => r.group)).toEqual(['small', 'big']);
  });

  it('a content_filter error takes the content-policy fallbacks', async () => {
    const h = createHarness({
      strict: { deployments: [{ provider: 'a', model: 'a', scripts: [{ fault: { kind: 'content_filter' } }] }], fallbacks: ['general'], contentPolicyFallbacks: ['lenient'] },
      lenient: { deployments: [{ provider: 'b', model: 'b' }] },
      general: { deployments: [{ provider: 'c', model: 'c' }] },
    });
    expect((await h.send({ model: 'strict' })).records.map((r) => r.group)).toEqual(['strict', 'lenient']);
  });

  it('without specific lists, context and content errors take the general fallbacks', async () => {
    const h = createHarness({
      g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ fault: { kind: 'content_filter' } }] }], fallbacks: ['f'] },
      f: { deployments: [{ provider: 'c', model: 'c' }] },
    });
    expect((await h.send({ model: 'g' })).records.map((r) => r.group)).toEqual(['g', 'f']);
  });

  it('when no deployment can hold the prompt, the context-window fallbacks run without an attempt', async () => {
    const h = createHarness({
      small: { deployments: [{ provider: 'a', model: 'a', contextWindow: 4096 }], contextWindowFallbacks: ['big'] },
      big: { deployments: [{ provider: 'b', model: 'b', contextWindow: 200_000 }] },
    });
    const { records } = await h.send({ model: 'small', inputTokens: 5000 });
    expect(records.map((r) => [r.attempt, r.group, r.fallbackDepth])).toEqual([[1, 'big', 1]]);
  });

  it('an unknown fallback group is skipped', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'a', model: 'a', scripts: [{ reject: { kind: 'auth' } }] }], fallbacks: ['ghost'] } });
    const { result } = await h.send({ model: 'g' });
    expect(result.error?.kind).toBe('auth');
  });
});

describe('router: pre-call filters', () => {
  it('says why each candidate was dropped when nothing is left', async () => {
    const h = createHarness({
      g: {
        deployments: [
          { provider: 'local', model: 'tiny', capabilities: { vision: false } },
          { provider: 'openai', model: 'gpt-4o', contextWindow: 1000 },
          { provider: 'anthropic', model: 'claude' },
        ],
      },
    }, { budgets: (d) => d.provider !== 'anthropic' });
    const options = prompt('look');
    options.messages.push({ role: 'user', content: [{ type: 'image', mediaType: 'image/png', data: 'AAAA' }] });
    const { parts, result, records } = await h.send({ model: 'g', options: { ...options, maxOutputTokens: 500 }, inputTokens: 800 });
    expectWellFormed(parts);
    expect(records).toEqual([]);
    expect(result.error).toEqual({
      kind: 'bad_request',
      retryable: false,
      message:
        'no deployment of "g" can take this request: local/tiny: does not support images; ' +
        'openai/gpt-4o: context window of 1000 tokens cannot hold 1300 (prompt + max output); anthropic/claude: its budget is spent',
    });
  });

  it('skips a capable-less deployment and uses the one that can', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'local', model: 'tiny', capabilities: { tools: false } }, { provider: 'openai', model: 'gpt' }] } });
    const { records } = await h.send({ model: 'g', options: prompt('x', { tools: [{ name: 't', inputSchema: {} }] }) });
    expect(records.map((r) => r.deploymentId)).toEqual(['g#1']);
  });

  it('a spent budget drops the deployment, and the group fallbacks (a local model) answer', async () => {
    const h = createHarness(
      { cloud: { deployments: [{ provider: 'openai', model: 'gpt' }], fallbacks: ['local'] }, local: { deployments: [{ provider: 'local', model: 'qwen.gguf' }] } },
      { budgets: (d) => d.provider === 'local' },
    );
    const { records, result } = await h.send({ model: 'cloud' });
    expect(result.error).toBeUndefined();
    expect(records.map((r) => [r.group, r.fallbackDepth])).toEqual([['local', 1]]);
  });
});

describe('router: rules, preferred provider, strategies', () => {
  it('a rule on a tag or on the prompt picks the group', async () => {
    const h = createHarness(
      { cloud: { deployments: [{ provider: 'openai', model: 'gpt' }] }, coder: { deployments: [{ provider: 'local', model: 'coder.gguf' }] } },
      { rules: [{ when: { tag: 'coding' }, use: 'coder' }, { when: { prompt: /stack trace/i }, use: 'coder' }] },
    );
    const tagged = await h.send({ model: 'cloud', tags: ['coding'] });
    expect(tagged.routed).toMatchObject({ group: 'coder', via: 'rule' });
    expect((await h.send({ model: 'cloud', options: prompt('read this Stack Trace') })).records[0]!.group).toBe('coder');
    expect((await h.send({ model: 'cloud', options: prompt('a poem') })).records[0]!.group).toBe('cloud');
  });

  it('the preferred provider goes first', async () => {
    const h = createHarness({ g: { deployments: [{ provider: 'openai', model: 'gpt' }, { provider: 'anthropic', model: 'claude' }] } });
    expect((await h.send({ model: 'g', preferredProvider: 'anthropic' })).records[0]!.provider).toBe('anthropic');
    expect((await h.send({ model: 'g' })).records[0]!.provider).toBe('openai');
  });

  it('lowest-latency learns from health', async () => {
    const h = createHarness({
      g: { strategy: 'lowest-latency', deployments: [{ provider: 'slow', model: 's', scripts: [{ ttftMs: 900 }] }, { provider: 'fast', model: 'f', scripts: [{ ttftMs: 100 }] }] },
    });
    const firsts: string[] = [];
    for (let i = 0; i < 4; i++) firsts.push((await h.send({ model: 'g' })).records[0]!.provider);
    expect(firsts).toEqual(['slow', 'fast', 'fast', 'fast']);
  });

  it('round-robin takes turns; weighted follows the seeded random', async () => {
    const h = createHarness({
      rr: { strategy: 'round-robin', deployments: [{ provider: 'a', model: 'a' }, { provider: 'b', model: 'b' }] },
      w: { strategy: 'weighted', deployments: [{ provider: 'a', model: 'a', weight: 1 }, { provider: 'b', model: 'b', weight: 9 }] },
    });
    const rr: string[] = [];
    for (let i = 0; i < 4; i++) rr.push((await h.send({ model: 'rr' })).records[0]!.provider);
    expect(rr).toEqual(['a', 'b', 'a', 'b']);
    const w: string[] = [];
    for (let i = 0; i < 50; i++) w.push((await h.send({ model: 'w' })).records[0]!.provider);
    expect(w.filter((p) => p === 'b').length).toBeGreaterThan(35);
  });

  it('least-busy picks the deployment with fewer attempts in flight', async () => {
    const h = createHarness({
      g: { strategy: 'least-busy', deployments: [{ provider: 'a', model: 'a', scripts: [{ tokens: ['x'], hang: true }, {}] }, { provider: 'b', model: 'b' }] },
    });
    const controller = new AbortController();
    const first = await h.router.stream({ model: 'g', options: prompt('x', { abortSignal: controller.signal }) });
    const reader = first.stream.getReader();
    while ((await reader.read()).value?.type !== 'text-delta');
    expect(h.router.inFlight('g#0')).toBe(1);
    expect((await h.send({ model: 'g' })).records[0]!.deploymentId).toBe('g#1');
    controller.abort();
    while (!(await reader.read()).done);
    expect(h.router.inFlight('g#0')).toBe(0);
    expect((await h.send({ model: 'g' })).records[0]!.deploymentId).toBe('g#0');
  });

  it('lowest-cost picks the cheapest capable deployment', async () => {
    const entry = (input: number, output: number, local = false) => ({
      provider: 'x', modelId: 'x', local, prices: { input, output }, capabilities: {}, transforms: {}, sources: ['package' as const],
    });
    const h = createHarness({
      g: {
        strategy: 'lowest-cost',
        deployments: [
          { provider: 'pricey', model: 'p', entry: entry(10, 30) },
          { provider: 'free', model: 'f', entry: entry(0, 0, true), capabilities: { tools: false } },
          { provider: 'cheap', model: 'c', entry: entry(0.1, 0.4) },
        ],
      },
    });
    expect((await h.send({ model: 'g' })).records[0]!.provider).toBe('free');
    expect((await h.send({ model: 'g', options: prompt('x', { tools: [{ name: 't', inputSchema: {} }] }) })).records[0]!.provider).toBe('cheap');
  });
});
