import type { HOST_EVENTS } from '../../../shared/contract';

/** `HOST_EVENTS.configChanged`, as a value: the renderer imports contract types only (no zod in the bundle). */
export const CONFIG_CHANGED: (typeof HOST_EVENTS)['configChanged'] = 'config.changed';

/** `HOST_EVENTS.downloadsProgress`: a download job as it is now (upsert it by id). */
export const DOWNLOADS_PROGRESS: (typeof HOST_EVENTS)['downloadsProgress'] = 'downloads.progress';

/** `HOST_EVENTS.budgetAlert`: a `BudgetAlert` (spend crossed 50/80/100% of a budget). */
export const BUDGET_ALERT: (typeof HOST_EVENTS)['budgetAlert'] = 'budget.alert';

/** `HOST_EVENTS.activeModelChanged`: `{ ref }`, the model or group new chats use (set from the tray or another window). */
export const ACTIVE_MODEL_CHANGED: (typeof HOST_EVENTS)['activeModelChanged'] = 'settings.active.changed';
