import { describe, expect, it } from 'vitest';
import { formatDeployments, parseAmount, parseAutoInt, parseDeployments, parseList, spentOf, statusOf } from './settings-format';

describe('settings form helpers', () => {
  it('reads deployments one per line, with an optional weight, and says which line is wrong', () => {
    expect(parseDeployments('openai/gpt-4o-mini\n  local/tiny 2 \n\nrouter/openai/gpt-4o')).toEqual({
      ok: true,
      deployments: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'local', model: 'tiny', weight: 2 }, { provider: 'router', model: 'openai/gpt-4o' }],
    });
    expect(parseDeployments('')).toMatchObject({ ok: false, message: expect.stringContaining('at least one deployment') });
    expect(parseDeployments('openai/x\ngpt-4o')).toMatchObject({ ok: false, message: expect.stringMatching(/^line 2: write provider\/model/) });
    expect(parseDeployments('openai/x lots')).toMatchObject({ ok: false, message: 'line 1: the weight "lots" is not a number of 0 or more' });
    expect(formatDeployments([{ provider: 'local', model: 'tiny', weight: 2 }, { provider: 'a', model: 'b' }])).toBe('local/tiny 2\na/b');
  });

  it('reads lists, amounts and auto-or-number fields', () => {
    expect(parseList('smart, cheap  local')).toEqual(['smart', 'cheap', 'local']);
    expect(parseAmount('')).toEqual({ ok: true, value: null });
    expect(parseAmount('$2.50')).toEqual({ ok: true, value: 2.5 });
    expect(parseAmount('-1')).toMatchObject({ ok: false });
    expect(parseAutoInt('auto')).toBe('auto');
    expect(parseAutoInt('max', ['max'])).toBe('max');
    expect(parseAutoInt('8')).toBe(8);
    expect(parseAutoInt('')).toBeNull();
    expect(parseAutoInt('eight')).toBeUndefined();
  });

  it('shows spend against a limit', () => {
    const status = { scope: 'global', period: 'daily', limitUsd: 5, spentUsd: 1.2, percent: 24, state: 'ok', crossed: 0, action: 'warn', periodStart: 0, resetsAt: 1 } as const;
    expect(statusOf([status], { scope: 'global' }, 'daily')).toBe(status);
    expect(statusOf([status], { scope: 'global' }, 'monthly')).toBeUndefined();
    expect(spentOf(5, status)).toBe('$1.20 of $5.00');
    expect(spentOf(5, undefined)).toBe('— of $5.00');
  });
});
