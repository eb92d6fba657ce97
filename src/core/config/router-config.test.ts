import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROUTER_POLICY, matchRule, routerPolicyFrom, rulesFrom } from '../router';
import { formatIssues } from './config-issue';
import { type ConfigLoad, loadConfig } from './load-config';

/** The router's parts of switchboard.yaml: aliases, rules with prompt matchers, router:, cache:, budgets:. */
const dir = mkdtempSync(join(tmpdir(), 'sb-router-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function load(lines: string[]): Promise<ConfigLoad> {
  const path = join(dir, `config-${n++}.yaml`);
  writeFileSync(path, lines.join('\n'));
  return loadConfig(path, { env: {} });
}
function errorsOf(result: ConfigLoad): string[] {
  if (result.ok) throw new Error('expected the config to be refused');
  return formatIssues(result.errors).split('\n');
}

const base = [
  'providers: { openai: { type: openai, apiKey: sk-test } }',
  'groups:',
  '  fast: { deployments: [{ provider: local, model: tiny }] }',
  '  smart:',
  '    deployments: [{ provider: openai, model: gpt-4o }]',
  '    fallbacks: [fast]',
  '    contextWindowFallbacks: [fast]',
  '    contentPolicyFallbacks: [fast]',
];

describe('config: the router sections', () => {
  it('reads aliases, prompt rules, the router policy, the cache and budgets', async () => {
    const result = await load([
      ...base,
      'aliases: { quick: fast, cheap: openai/gpt-4o-mini }',
      'rules:',
      '  - { when: { prompt: "stack ?trace|segfault" }, use: smart }',
      '  - { when: { prompt: "/^FIX/", tag: coding }, use: fast }',
      'router:',
      '  maxRetries: 4',
      '  baseDelayMs: 100',
      '  maxDelayMs: 2000',
      '  maxRetryAfterMs: 10000',
      '  maxFallbackDepth: 2',
      '  cooldown: { failures: 3, windowMs: 10000, cooldownMs: 5000, errorKinds: [server, timeout], openAtOnce: [auth] }',
      '  localFallback: local/tiny',
      'cache: { enabled: true, ttlSeconds: 120, groups: [smart], sampled: false, maxEntries: 50 }',
      'budgets:',
      '  - { scope: global, daily: 5, monthly: 50, onExceeded: fallback-local }',
      '  - { scope: "group:smart", monthly: "20" }',
    ]);
    if (!result.ok) throw new Error(formatIssues(result.errors));
    const { config } = result;
    expect(config.aliases).toEqual({ quick: 'fast', cheap: 'openai/gpt-4o-mini' });
    expect(config.groups.smart).toMatchObject({ contextWindowFallbacks: ['fast'], contentPolicyFallbacks: ['fast'] });
    expect(config.cache).toEqual({ enabled: true, ttlSeconds: 120, groups: ['smart'], sampled: false, maxEntries: 50 });
    expect(config.budgets[1]).toEqual({ scope: 'group:smart', monthly: 20 });

    const policy = routerPolicyFrom(config.router, DEFAULT_ROUTER_POLICY);
    expect(policy).toMatchObject({ maxFallbackDepth: 2, retry: { maxRetries: 4, baseDelayMs: 100, maxDelayMs: 2000, maxRetryAfterMs: 10000 } });
    expect(policy.breaker).toMatchObject({ failureThreshold: 3, windowMs: 10000, cooldownMs: 5000 });
    expect([...policy.breaker.countKinds]).toEqual(['server', 'timeout']);
    expect([...policy.breaker.openAtOnceKinds]).toEqual(['auth']);
    expect(policy.retry.retryOn).toBe(DEFAULT_ROUTER_POLICY.retry.retryOn);

    // Bare patterns match case-insensitively; /pattern/flags keeps its own flags.
    const rules = rulesFrom(config.rules);
    const ask = (text: string) => ({ messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text }] }] });
    expect(matchRule(rules, { model: 'fast', options: ask('a Stack Trace here') })?.use).toBe('smart');
    expect(matchRule(rules, { model: 'x', options: ask('FIX this'), tags: ['coding'] })?.use).toBe('fast');
    expect(matchRule(rules, { model: 'x', options: ask('fix this'), tags: ['coding'] })).toBeUndefined();
  });

  it('leaves the defaults when router: is absent', async () => {
    const result = await load(base);
    if (!result.ok) throw new Error(formatIssues(result.errors));
    expect(result.config.aliases).toEqual({});
    expect(result.config.cache).toEqual({});
    expect(routerPolicyFrom(result.config.router, DEFAULT_ROUTER_POLICY)).toEqual(DEFAULT_ROUTER_POLICY);
  });

  it('names the path of each mistake: a bad regex, unknown names, a budget without a limit, a misspelt key', async () => {
    const errors = errorsOf(
      await load([
        ...base.slice(0, 6),
        '    contextWindowFallbacks: [huge]',
        'aliases: { smart: fast, lost: nowhere, far: mars/x }',
        'rules: [{ when: { prompt: "(unclosed" }, use: smart }]',
        'router: { maxRetries: -1, cooldown: { errorKinds: [oops] }, retries: 3 }',
        'cache: { enabled: maybe, groups: [ghost] }',
        'budgets:',
        '  - { scope: global }',
        '  - { scope: "provider:nope", daily: 1, onExceeded: explode }',
      ]),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\[0\]\.when\.prompt: not a valid regular expression: .*/),
        'router.maxRetries: expected at least 0',
        expect.stringMatching(/^router\.cooldown\.errorKinds\[0\]: /),
        expect.stringMatching(/^router: .*retries/),
        'cache.enabled: expected true or false',
        'budgets[1].onExceeded: expected block, warn or fallback-local',
      ]),
    );
    // Cross-references are checked once the shape is right.
    const refs = errorsOf(
      await load([
        ...base.slice(0, 6),
        '    contextWindowFallbacks: [huge]',
        'aliases: { smart: fast, lost: nowhere, far: mars/x }',
        'cache: { groups: [ghost] }',
        'budgets:',
        '  - { scope: global }',
        '  - { scope: "provider:nope", daily: 1 }',
        '  - { scope: "group:ghost", daily: 1 }',
      ]),
    );
    expect(refs).toEqual([
      'groups.smart.contextWindowFallbacks[0]: unknown group "huge"; groups: fast, smart',
      'aliases.smart: "smart" is already a group; an alias needs a name of its own',
      'aliases.lost: unknown group "nowhere"; groups: fast, smart (or name a provider/model)',
      'aliases.far: unknown provider "mars" in "mars/x"; configured: local, openai',
      'budgets[0]: a budget needs a daily or a monthly limit in USD',
      'budgets[1].scope: unknown provider "nope"; configured: local, openai',
      'budgets[2].scope: unknown group "ghost"; groups: fast, smart',
      'cache.groups[0]: unknown group "ghost"; groups: fast, smart (or name a provider/model)',
    ]);
  });
});
