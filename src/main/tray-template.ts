/**
 * The tray menu as a pure function of the app's state. Items carry an `action` rather than a
 * click handler, so the template is plain data that tests compare; `tray.ts` turns actions into
 * calls. Electron's radio groups are adjacent radio items, so each section's radios sit together
 * and `checked` comes from the state, never from Electron's own toggling.
 */

export interface TrayModel {
  ref: string;
  label: string;
  usable: boolean;
}

export interface TrayState {
  /** The model or group new chats use (`settings.active`). */
  activeModel: string | null;
  /** Router groups, by name: chosen like a model. */
  groups: readonly string[];
  /** Each provider's models, local first. */
  providers: readonly { name: string; models: readonly TrayModel[] }[];
  /** Spend since local midnight; null while unknown. */
  todaySpendUsd: number | null;
  /** The HTTP gateway: absent from the menu when this build has none. */
  gateway: { available: boolean; running: boolean };
}

export type TrayAction =
  | { kind: 'select-model'; ref: string }
  | { kind: 'open-window' }
  | { kind: 'toggle-gateway'; run: boolean }
  | { kind: 'quit' };

export type TrayItem =
  | { type: 'separator' }
  | { type: 'normal'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'radio'; label: string; checked: boolean; enabled: boolean; action: TrayAction }
  | { type: 'submenu'; label: string; submenu: TrayItem[] };

/** Providers with more models than this get a submenu; fewer sit inline. */
export const INLINE_MODELS_MAX = 6;

export function formatSpend(usd: number | null): string {
  if (usd === null) return 'Today: —';
  if (usd > 0 && usd < 0.01) return 'Today: < $0.01';
  return `Today: $${usd.toFixed(2)}`;
}

export function trayTemplate(state: TrayState): TrayItem[] {
  const radio = (ref: string, label: string, enabled = true): TrayItem => ({
    type: 'radio',
    label,
    checked: ref === state.activeModel,
    enabled,
    action: { kind: 'select-model', ref },
  });

  const items: TrayItem[] = [{ type: 'normal', label: formatSpend(state.todaySpendUsd), enabled: false }, { type: 'separator' }];

  if (state.groups.length > 0) {
    items.push({ type: 'normal', label: 'Groups', enabled: false });
    for (const group of state.groups) items.push(radio(group, group));
    items.push({ type: 'separator' });
  }
  const withModels = state.providers.filter((p) => p.models.length > 0);
  for (const provider of withModels) {
    const radios = provider.models.map((m) => radio(m.ref, m.label, m.usable));
    const holdsActive = provider.models.some((m) => m.ref === state.activeModel);
    if (radios.length > INLINE_MODELS_MAX) {
      items.push({ type: 'submenu', label: holdsActive ? `${provider.name} ✓` : provider.name, submenu: radios });
    } else {
      items.push({ type: 'normal', label: provider.name, enabled: false }, ...radios);
    }
  }
  if (state.groups.length === 0 && withModels.length === 0) items.push({ type: 'normal', label: 'No models yet', enabled: false });
  if (withModels.length > 0) items.push({ type: 'separator' });

  items.push({ type: 'normal', label: 'Open Switchboard', enabled: true, action: { kind: 'open-window' } });
  if (state.gateway.available) {
    items.push({
      type: 'normal',
      label: state.gateway.running ? 'Pause gateway' : 'Resume gateway',
      enabled: true,
      action: { kind: 'toggle-gateway', run: !state.gateway.running },
    });
  }
  items.push({ type: 'separator' }, { type: 'normal', label: 'Quit Switchboard', enabled: true, action: { kind: 'quit' } });
  return items;
}

/** The tooltip: the app and what new chats use. */
export function trayTooltip(state: Pick<TrayState, 'activeModel' | 'todaySpendUsd'>): string {
  return `Switchboard — ${state.activeModel ?? 'no model chosen'} · ${formatSpend(state.todaySpendUsd).toLowerCase()}`;
}
