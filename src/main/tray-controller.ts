import { type Dispatcher } from '../core/api/dispatcher';
import { HOST_EVENTS, type SettingsView } from '../shared/contract';
import { type ModelsList, type UsageSummary } from '../shared/domain';
import { type TrayAction, type TrayItem, type TrayState, trayTemplate, trayTooltip } from './tray-template';

/** One menu item as Electron's `Menu.buildFromTemplate` takes it (structural: no electron import here). */
export interface ElectronMenuItem {
  type: 'normal' | 'separator' | 'radio' | 'submenu';
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: ElectronMenuItem[];
}

/** The template's actions as click handlers. */
export function toElectronMenu(items: readonly TrayItem[], onAction: (action: TrayAction) => void): ElectronMenuItem[] {
  return items.map((item): ElectronMenuItem => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'submenu':
        return { type: 'submenu', label: item.label, submenu: toElectronMenu(item.submenu, onAction) };
      case 'radio':
        return { type: 'radio', label: item.label, enabled: item.enabled, checked: item.checked, click: () => onAction(item.action) };
      default: {
        const action = item.action;
        return { type: 'normal', label: item.label, enabled: item.enabled, ...(action !== undefined && { click: () => onAction(action) }) };
      }
    }
  });
}

/** The gateway as the tray drives it; absent until the host has one to start and stop. */
export interface TrayGateway {
  running(): boolean;
  setRunning(run: boolean): Promise<void>;
}

export interface TrayControllerDeps {
  dispatcher: Pick<Dispatcher, 'request'>;
  /** Shows the menu (Menu.buildFromTemplate + tray.setContextMenu in index.ts). */
  show(menu: ElectronMenuItem[], tooltip: string): void;
  openWindow(): void;
  quit(): void;
  gateway?: TrayGateway;
  /** Local midnight of today, epoch ms (today's spend starts there). */
  startOfToday: () => number;
  log: (message: string) => void;
}

const ORIGIN = 'tray';

/**
 * Keeps the tray menu current: reads the state through the same contract the window uses
 * (settings, models, usage), renders `trayTemplate`, and turns its actions into contract calls.
 * Choosing a model sets `settings.active`, whose host event moves the window's picker too.
 */
export function createTrayController(deps: TrayControllerDeps) {
  let state: TrayState = { activeModel: null, groups: [], providers: [], todaySpendUsd: null, gateway: { available: deps.gateway !== undefined, running: deps.gateway?.running() ?? false } };
  let disposed = false;

  const render = () => {
    if (disposed) return;
    deps.show(toElectronMenu(trayTemplate(state), (action) => void act(action)), trayTooltip(state));
  };

  const request = async <T>(route: string, input: unknown): Promise<T | undefined> => {
    const result = await deps.dispatcher.request(route, input, ORIGIN);
    if (result.ok) return result.data as T;
    deps.log(`tray: ${route} failed: ${result.error.message}`);
    return undefined;
  };

  const refresh = async () => {
    const [settings, models, usage] = await Promise.all([
      request<SettingsView>('settings.get', {}),
      request<ModelsList>('models.list', {}),
      request<UsageSummary>('usage.summary', { from: deps.startOfToday() }),
    ]);
    state = {
      activeModel: settings?.app.activeModel ?? state.activeModel,
      groups: settings?.groups.map((g) => g.name) ?? state.groups,
      providers:
        models?.providers.map((p) => ({ name: p.provider, models: p.models.map((m) => ({ ref: m.ref, label: m.displayName, usable: m.error === null })) })) ??
        state.providers,
      todaySpendUsd: usage?.totals.costUsd ?? state.todaySpendUsd,
      gateway: { available: deps.gateway !== undefined, running: deps.gateway?.running() ?? false },
    };
    render();
  };

  const act = async (action: TrayAction) => {
    switch (action.kind) {
      case 'select-model':
        // the core emits settings.active.changed; onEvent re-renders with it checked
        await request('settings.active.set', { ref: action.ref });
        return;
      case 'open-window':
        return deps.openWindow();
      case 'toggle-gateway':
        try {
          await deps.gateway?.setRunning(action.run);
        } catch (error) {
          deps.log(`tray: the gateway did not ${action.run ? 'start' : 'stop'}: ${error instanceof Error ? error.message : String(error)}`);
        }
        return refresh();
      case 'quit':
        return deps.quit();
    }
  };

  return {
    refresh,
    /** Runs a tray action as a click would (for tests and keyboard shortcuts). */
    act,
    /** Core events that change what the menu shows. */
    onEvent(name: string, data: unknown) {
      if (name === HOST_EVENTS.activeModelChanged) {
        const ref = (data as { ref?: unknown } | null)?.ref;
        state = { ...state, activeModel: typeof ref === 'string' ? ref : null };
        render();
      } else if (name === HOST_EVENTS.configChanged || name === HOST_EVENTS.budgetAlert || name === HOST_EVENTS.gatewayChanged) {
        void refresh();
      }
    },
    current: () => state,
    dispose() {
      disposed = true;
    },
  };
}

export type TrayController = ReturnType<typeof createTrayController>;

/** Local midnight of the day `now` falls in. */
export function startOfLocalDay(now: number): number {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}
