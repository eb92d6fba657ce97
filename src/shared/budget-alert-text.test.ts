import { describe, expect, it } from 'vitest';
import { budgetAlertText, budgetScopeLabel } from './budget-alert-text';

const alert = { scope: 'provider:openai', period: 'monthly', threshold: 80, spentUsd: 16.004, limitUsd: 20, action: 'block' } as const;

describe('budgetAlertText', () => {
  it('says how much of which budget is used, and what happens at 100%', () => {
    expect(budgetAlertText(alert)).toEqual({
      title: 'Budget 80% used: provider openai',
      body: '$16.00 of $20.00 this month. At 100%, new requests are refused.',
      exceeded: false,
    });
  });

  it('says what happens now once a budget is reached', () => {
    expect(budgetAlertText({ ...alert, threshold: 100, spentUsd: 20.5, action: 'fallback-local' })).toEqual({
      title: 'Budget reached: provider openai',
      body: '$20.50 of $20.00 this month. Requests now go to a local model.',
      exceeded: true,
    });
    expect(budgetAlertText({ ...alert, scope: 'global', period: 'daily', threshold: 100, spentUsd: 5, limitUsd: 5, action: 'warn' }).body).toBe(
      '$5.00 of $5.00 today. Requests continue (this budget only warns).',
    );
  });

  it('names scopes in words', () => {
    expect(budgetScopeLabel('global')).toBe('all spend');
    expect(budgetScopeLabel('group:fast')).toBe('group fast');
    expect(budgetScopeLabel('model:openai/gpt-4o')).toBe('model openai/gpt-4o');
  });
});
