import { createStore } from 'zustand/vanilla';
import type { RouteChoice } from '../../../shared/contract';
import type { ProviderModels, SelectableModel } from '../../../shared/domain';
import type { ContractClient } from '../ipc';
import { type LoadStatus, describeError } from './loadable';

export interface ModelsState {
  /** Models by provider, local first, as `models.list` answered. */
  groups: ProviderModels[];
  /** Every listed model, in group order. */
  items: SelectableModel[];
  /** The router's groups and aliases (`coder`, `auto`): names that route across deployments. */
  routes: RouteChoice[];
  /** `provider/model` refs the user typed ("Custom model…"), shown in their provider's group. */
  customRefs: string[];
  status: LoadStatus;
  error: string | null;
  /** The model new messages go to: a usable listed model, or a valid custom ref. */
  selectedId: string | null;
  /** `force` asks providers for their lists again rather than the host's short-lived copy. */
  refresh(options?: { force?: boolean }): Promise<void>;
  select(id: string): void;
  /** Selects a typed `provider/model` ref. Returns why it was refused, or null when it was taken. */
  selectCustom(ref: string): string | null;
  /** Selects `id` if it is usable (e.g. the model of a conversation just opened). */
  prefer(id: string): void;
}

/** Remembers the last choice across reloads. */
export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const SELECTED_KEY = 'switchboard.model';

export const isUsable = (model: SelectableModel) => model.error === null;

/**
 * Why a typed ref can't be used, or null when it can: `provider/model`, where provider is a
 * configured (non-local) provider's name and model is not empty. Local models come from files,
 * so they are picked from the list.
 */
export function validateCustomRef(ref: string, groups: readonly ProviderModels[], routes: readonly RouteChoice[] = []): string | null {
  const value = ref.trim();
  if (routes.some((r) => r.name === value)) return null;
  const slash = value.indexOf('/');
  const remote = groups.filter((g) => g.provider !== 'local').map((g) => g.provider);
  const known = remote.length > 0 ? `configured providers: ${remote.join(', ')}` : 'no providers are configured in switchboard.yaml';
  if (value === '') return 'type a model as provider/model, e.g. openai/gpt-4o-mini';
  if (slash <= 0) {
    const names = routes.map((r) => r.name);
    return `write it as provider/model (${known})${names.length > 0 ? ` or name a group: ${names.join(', ')}` : ''}`;
  }
  const provider = value.slice(0, slash);
  const model = value.slice(slash + 1).trim();
  if (provider === 'local') return 'local models are picked from the list: they are the .gguf files in the models folder';
  if (!remote.includes(provider)) return `unknown provider "${provider}"; ${known}`;
  if (model === '') return `the model after "${provider}/" is empty`;
  return null;
}

export function createModelsStore(deps: { client: ContractClient; storage?: PreferenceStorage | undefined }) {
  const remembered = () => {
    try {
      return deps.storage?.getItem(SELECTED_KEY) ?? null;
    } catch {
      return null; // storage can be disabled; the choice just isn't remembered
    }
  };
  const remember = (id: string) => {
    try {
      deps.storage?.setItem(SELECTED_KEY, id);
    } catch {
      // see above
    }
  };

  return createStore<ModelsState>()((set, get) => {
    const listed = (id: string) => get().items.find((m) => m.ref === id);
    const isRoute = (id: string) => get().routes.some((r) => r.name === id);
    /** A listed usable model, or a ref the user could have typed. */
    const usable = (id: string | null): id is string => {
      if (id === null) return false;
      const model = listed(id);
      if (model !== undefined) return isUsable(model);
      if (isRoute(id)) return true;
      return get().status !== 'idle' && validateCustomRef(id, get().groups) === null;
    };
    /** Takes `id`, adding it to the custom refs when no provider listed it. */
    const take = (id: string) => {
      const custom = listed(id) === undefined && !isRoute(id) && !get().customRefs.includes(id) ? [...get().customRefs, id] : get().customRefs;
      set({ selectedId: id, customRefs: custom });
    };

    return {
      groups: [],
      items: [],
      routes: [],
      customRefs: [],
      status: 'idle',
      error: null,
      selectedId: null,

      async refresh(options = {}) {
        set({ status: 'loading' });
        const [result, routed] = await Promise.all([
          deps.client.request('models.list', options.force ? { refresh: true } : {}),
          deps.client.request('routing.groups', {}),
        ]);
        if (!result.ok) {
          set({ status: 'error', error: describeError(result.error) });
          return;
        }
        const groups = result.data.providers;
        const items = groups.flatMap((g) => g.models);
        // A host without a router (or an older one) has no groups to offer: models alone.
        const routes = routed.ok ? routed.data.groups : [];
        set({ groups, items, routes, status: 'ready', error: null });
        // Typed refs stay while their provider is configured and no list has them yet.
        set({ customRefs: get().customRefs.filter((ref) => listed(ref) === undefined && validateCustomRef(ref, groups) === null) });
        const current = get().selectedId;
        if (usable(current)) return take(current);
        const saved = remembered();
        if (usable(saved)) return take(saved);
        set({ selectedId: items.find(isUsable)?.ref ?? null });
      },

      select(id) {
        if (!usable(id) || (listed(id) === undefined && !isRoute(id) && !get().customRefs.includes(id))) return;
        set({ selectedId: id });
        remember(id);
      },

      selectCustom(ref) {
        const value = ref.trim();
        const model = listed(value);
        if (model !== undefined && !isUsable(model)) return `${model.displayName} can’t be used: ${model.error}`;
        const problem = model === undefined ? validateCustomRef(value, get().groups, get().routes) : null;
        if (problem !== null) return problem;
        take(value);
        remember(value);
        return null;
      },

      prefer(id) {
        if (usable(id)) take(id);
      },
    };
  });
}

export type ModelsStore = ReturnType<typeof createModelsStore>;
