import type { HOST_EVENTS } from '../../../shared/contract';

/** `HOST_EVENTS.configChanged`, as a value: the renderer imports contract types only (no zod in the bundle). */
export const CONFIG_CHANGED: (typeof HOST_EVENTS)['configChanged'] = 'config.changed';
