import { createStore } from 'zustand/vanilla';
import type { ContractError, EngineModelSettings, EngineProgressEvent, EngineSettingsView, EngineStatusInfo, HOST_EVENTS, ModelActivity } from '../../../../shared/contract';
import type { ContractClient } from '../../ipc';
import { type LoadStatus, describeError } from '../../stores/loadable';

/** `HOST_EVENTS.engineProgress`, as a value (the renderer imports contract types only). */
export const ENGINE_PROGRESS: (typeof HOST_EVENTS)['engineProgress'] = 'engine.progress';

export type EngineAction = 'load' | 'unload' | 'swap';

/** A self-check step as it happens, by backend. */
export interface CheckStep {
  state: Extract<EngineProgressEvent, { kind: 'backend' }>['state'];
  message: string | null;
}

export interface EngineState {
  status: EngineStatusInfo | null;
  loadStatus: LoadStatus;
  error: string | null;
  /** Models on their way in (or failed), by file path: live from `engine.progress`, seeded from status. */
  activity: Record<string, ModelActivity>;
  checking: Record<string, CheckStep>;
  rechecking: boolean;
  /** The action in flight per model id; its buttons wait for it. */
  busy: Record<string, EngineAction>;
  actionErrors: Record<string, string>;
  settings: Record<string, EngineSettingsView>;
  refresh(): Promise<void>;
  load(model: string, settings?: EngineModelSettings): Promise<void>;
  /** Hot-swap: `to` loads, `from` goes once its streams in flight have finished. */
  swap(from: string, to: string, settings?: EngineModelSettings): Promise<void>;
  unload(model: string): Promise<void>;
  loadSettings(model: string): Promise<void>;
  recheck(): Promise<void>;
}

/** States after which a model is loaded or gone: no longer "on its way". */
const SETTLED = new Set(['ready', 'unloaded', 'evicted']);

/**
 * What an `engine.progress` event changes: the live activity and self-check steps, and whether the
 * status (loaded models, backend) is worth asking for again.
 */
export function applyProgress(
  state: Pick<EngineState, 'activity' | 'checking'>,
  event: EngineProgressEvent,
  now: number,
): { activity: Record<string, ModelActivity>; checking: Record<string, CheckStep>; refresh: boolean } {
  switch (event.kind) {
    case 'model': {
      const activity = { ...state.activity };
      if (SETTLED.has(event.state)) {
        delete activity[event.path];
        return { activity, checking: state.checking, refresh: true };
      }
      const before = activity[event.path];
      activity[event.path] = {
        id: event.id,
        path: event.path,
        state: event.state,
        // warming follows loading at 100%: keep the bar full rather than empty it
        progress: event.progress ?? before?.progress ?? null,
        message: event.message,
        at: now,
      };
      return { activity, checking: state.checking, refresh: event.state === 'failed' };
    }
    case 'backend':
      return { activity: state.activity, checking: { ...state.checking, [event.backend]: { state: event.state, message: event.message } }, refresh: event.state === 'chosen' };
    case 'engine':
      // A crash or a stop takes every model with it.
      return { activity: event.state === 'started' ? state.activity : {}, checking: state.checking, refresh: true };
  }
}

export function createEngineStore(deps: { client: ContractClient; now?: () => number }) {
  const { client } = deps;
  const now = deps.now ?? Date.now;
  let refreshing: Promise<void> | undefined;

  const store = createStore<EngineState>()((set, get) => {
    const act = async (model: string, action: EngineAction, run: () => Promise<{ ok: true } | { ok: false; message: string }>) => {
      set((s) => ({ busy: { ...s.busy, [model]: action }, actionErrors: omit(s.actionErrors, model) }));
      const outcome = await run();
      set((s) => ({ busy: omit(s.busy, model), ...(outcome.ok ? {} : { actionErrors: { ...s.actionErrors, [model]: outcome.message } }) }));
      await get().refresh();
    };
    const settle = (result: { ok: true } | { ok: false; error: ContractError }) =>
      result.ok ? ({ ok: true } as const) : ({ ok: false, message: describeError(result.error) } as const);

    return {
      status: null,
      loadStatus: 'idle',
      error: null,
      activity: {},
      checking: {},
      rechecking: false,
      busy: {},
      actionErrors: {},
      settings: {},

      refresh() {
        // One request at a time; events in a burst (a load's progress) share it.
        refreshing ??= (async () => {
          set({ loadStatus: 'loading' });
          const result = await client.request('engine.status', {});
          if (result.ok) {
            const live = get().activity;
            const activity: Record<string, ModelActivity> = {};
            for (const a of result.data.activity) activity[a.path] = live[a.path] ?? a;
            set({ status: result.data, loadStatus: 'ready', error: null, activity });
          } else {
            set({ loadStatus: 'error', error: describeError(result.error) });
          }
        })().finally(() => {
          refreshing = undefined;
        });
        return refreshing;
      },

      load: (model, settings) =>
        act(model, 'load', async () => settle(await client.request('engine.load', { model, ...(settings !== undefined && { settings }) }))),

      swap: (from, to, settings) =>
        act(to, 'swap', async () => settle(await client.request('engine.load', { model: to, replace: from, ...(settings !== undefined && { settings }) }))),

      unload: (model) => act(model, 'unload', async () => settle(await client.request('engine.unload', { model }))),

      async loadSettings(model) {
        const result = await client.request('engine.settings', { model });
        if (result.ok) set((s) => ({ settings: { ...s.settings, [model]: result.data }, actionErrors: omit(s.actionErrors, model) }));
        else set((s) => ({ actionErrors: { ...s.actionErrors, [model]: describeError(result.error) } }));
      },

      async recheck() {
        set({ rechecking: true, checking: {} });
        const result = await client.request('engine.check', { force: true });
        set({ rechecking: false, ...(result.ok ? {} : { error: describeError(result.error) }) });
        await get().refresh();
      },
    };
  });

  client.on(ENGINE_PROGRESS, (data) => {
    if (!looksLikeProgress(data)) return;
    const next = applyProgress(store.getState(), data, now());
    store.setState({ activity: next.activity, checking: next.checking });
    if (next.refresh) void store.getState().refresh();
  });

  return store;
}

export type EngineStore = ReturnType<typeof createEngineStore>;

function looksLikeProgress(data: unknown): data is EngineProgressEvent {
  const event = data as Partial<EngineProgressEvent> | null;
  return typeof event === 'object' && event !== null && (event.kind === 'model' || event.kind === 'backend' || event.kind === 'engine') && typeof event.state === 'string';
}

function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _dropped, ...rest } = record;
  return rest;
}
