import { describe, expect, it } from 'vitest';
import { createDeployment } from './deployment';
import { matchRule, preferProvider, promptText, type RoutingRule } from './rules';
import { prompt } from './testing/router-harness';

const rules: RoutingRule[] = [
  { when: { tag: 'coding' }, use: 'coder' },
  { when: { prompt: /```|\bfunction\b/g }, use: 'coder' },
  { when: { model: 'auto', client: 'cli' }, use: 'fast' },
  { when: { prompt: (t) => t.length > 50 }, use: 'long' },
];

describe('matchRule', () => {
  it('routes by a tag on the request', () => {
    expect(matchRule(rules, { model: 'auto', tags: ['coding'], options: prompt() })?.use).toBe('coder');
  });

  it('routes by a matcher on the prompt text, including the system prompt, any number of times', () => {
    const subject = { model: 'auto', options: prompt('write a function') };
    expect(matchRule(rules, subject)?.use).toBe('coder');
    expect(matchRule(rules, subject)?.use).toBe('coder'); // a global regexp keeps no state between calls
    expect(matchRule(rules, { model: 'x', options: prompt('hi', { system: 'use ``` fences' }) })?.use).toBe('coder');
    expect(matchRule(rules, { model: 'x', options: prompt('x'.repeat(60)) })?.use).toBe('long');
  });

  it('needs every condition of a rule, and returns undefined when none matches', () => {
    expect(matchRule(rules, { model: 'auto', client: 'cli', options: prompt() })?.use).toBe('fast');
    expect(matchRule(rules, { model: 'auto', client: 'chat', options: prompt() })).toBeUndefined();
    expect(matchRule([], { model: 'auto', options: prompt() })).toBeUndefined();
  });

  it('reads the text of every message', () => {
    expect(promptText(prompt('a', { system: 's' }))).toBe('s\na');
  });
});

describe('preferProvider', () => {
  const a = createDeployment({ provider: 'openai', model: 'a' });
  const b = createDeployment({ provider: 'local', model: 'b' });
  const c = createDeployment({ provider: 'local', model: 'c' });
  it('puts the preferred provider first, keeping order within each part', () => {
    expect(preferProvider([a, b, c], 'local').map((d) => d.model)).toEqual(['b', 'c', 'a']);
    expect(preferProvider([a, b, c], undefined).map((d) => d.model)).toEqual(['a', 'b', 'c']);
    expect(preferProvider([a, b, c], 'nobody').map((d) => d.model)).toEqual(['a', 'b', 'c']);
  });
});
