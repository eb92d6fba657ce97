import { describe, expect, it } from 'vitest';
import { notificationForEvent } from './budget-notification';

const alert = { scope: 'group:fast', period: 'daily', threshold: 100, spentUsd: 2.5, limitUsd: 2, action: 'block', at: 1 };

describe('notificationForEvent', () => {
  it('turns a budget alert into an OS notification', () => {
    expect(notificationForEvent('budget.alert', alert)).toEqual({
      title: 'Budget reached: group fast',
      body: '$2.50 of $2.00 today. New requests are refused until it resets.',
      urgency: 'critical',
    });
    expect(notificationForEvent('budget.alert', { ...alert, threshold: 50 })?.urgency).toBe('normal');
  });

  it('shows nothing for other events or a malformed alert', () => {
    expect(notificationForEvent('config.changed', { path: '/x' })).toBeNull();
    expect(notificationForEvent('budget.alert', { ...alert, threshold: 42 })).toBeNull();
    expect(notificationForEvent('budget.alert', null)).toBeNull();
  });
});
