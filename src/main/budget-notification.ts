import { budgetAlertText } from '../shared/budget-alert-text';
import { HOST_EVENTS } from '../shared/contract';
import { budgetAlertSchema } from '../shared/contract/budgets';

export interface NotificationSpec {
  title: string;
  body: string;
  /** Linux urgency: a reached budget stays until dismissed. */
  urgency: 'normal' | 'critical';
}

/**
 * The OS notification for a core event, or null when the event asks for none. The core's events
 * are checked (zod) before their fields reach a notification.
 */
export function notificationForEvent(name: string, data: unknown): NotificationSpec | null {
  if (name !== HOST_EVENTS.budgetAlert) return null;
  const alert = budgetAlertSchema.safeParse(data);
  if (!alert.success) return null;
  const text = budgetAlertText(alert.data);
  return { title: text.title, body: text.body, urgency: text.exceeded ? 'critical' : 'normal' };
}
