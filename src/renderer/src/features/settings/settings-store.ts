import { createStore } from 'zustand/vanilla';
import type { BudgetStatus, ContractError, InputOf, ProviderTestResult, Result, SettingsView, settingsContract } from '../../../../shared/contract';
import type { ContractClient } from '../../ipc';
import { type LoadStatus, describeError } from '../../stores/loadable';

type Input<K extends keyof typeof settingsContract> = InputOf<(typeof settingsContract)[K]>;

/** Which part of the page a save came from, so its error shows beside it. */
export type SettingsSection = 'providers' | 'groups' | 'budgets' | 'engine' | 'data';

export interface SettingsError {
  section: SettingsSection;
  message: string;
  /** Config paths the schema named (`budgets[0].daily`). */
  paths: string[];
}

/** A connection test as the page shows it: ok with latency, or the error kind (or the host's refusal) and why. */
export type TestOutcome = { ok: true; latencyMs: number; detail: string | null } | { ok: false; kind: string; message: string };

export function testOutcome(result: Result<ProviderTestResult[]>): TestOutcome {
  if (!result.ok) return { ok: false, kind: result.error.code, message: describeError(result.error) };
  const tested = result.data[0];
  if (tested === undefined) return { ok: false, kind: 'NOT_FOUND', message: 'the host tested no provider of that name' };
  if (tested.ok) return { ok: true, latencyMs: tested.latencyMs, detail: tested.detail };
  return { ok: false, kind: tested.error?.kind ?? 'unknown', message: tested.error?.message ?? 'failed' };
}

export interface SettingsState {
  view: SettingsView | null;
  status: LoadStatus;
  loadError: string | null;
  /** The last refused save, by section; cleared by the next good one. */
  error: SettingsError | null;
  saving: boolean;
  /** `providers.test` results by provider name; null while one runs. */
  tests: Record<string, TestOutcome | null>;
  budgets: BudgetStatus[];
  load(): Promise<void>;
  loadBudgetStatus(): Promise<void>;
  saveProvider(input: Input<'settings.provider.save'>): Promise<boolean>;
  removeProvider(name: string): Promise<boolean>;
  testProvider(name: string): Promise<void>;
  saveGroup(input: Input<'settings.group.save'>): Promise<boolean>;
  removeGroup(name: string): Promise<boolean>;
  saveBudget(input: Input<'settings.budget.save'>): Promise<boolean>;
  removeBudget(scope: string): Promise<boolean>;
  saveEngine(input: Input<'settings.engine.save'>): Promise<boolean>;
  saveModelFolders(folders: string[]): Promise<boolean>;
  saveApp(input: Input<'settings.app.save'>): Promise<boolean>;
  clearError(): void;
}

function pathsOf(error: ContractError): string[] {
  const issues = (error.data as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((i) => (typeof (i as { path?: unknown }).path === 'string' ? [(i as { path: string }).path] : []));
}

export function createSettingsStore(deps: { client: ContractClient }) {
  return createStore<SettingsState>()((set, get) => {
    /** Runs one save; a refusal keeps the page as it was and says why beside the section. */
    const save = async (section: SettingsSection, run: () => Promise<Result<SettingsView>>): Promise<boolean> => {
      set({ saving: true });
      const result = await run();
      if (!result.ok) {
        set({ saving: false, error: { section, message: describeError(result.error), paths: pathsOf(result.error) } });
        return false;
      }
      set({ saving: false, view: result.data, error: null, status: 'ready' });
      if (section === 'budgets') void get().loadBudgetStatus();
      return true;
    };

    return {
      view: null,
      status: 'idle',
      loadError: null,
      error: null,
      saving: false,
      tests: {},
      budgets: [],

      async load() {
        set({ status: 'loading' });
        const result = await deps.client.request('settings.get', {});
        if (!result.ok) return set({ status: 'error', loadError: describeError(result.error) });
        set({ status: 'ready', view: result.data, loadError: null });
        await get().loadBudgetStatus();
      },

      async loadBudgetStatus() {
        const result = await deps.client.request('budgets.status', {});
        // a host without budget tracking shows the limits without spend
        set({ budgets: result.ok ? result.data.budgets : [] });
      },

      saveProvider: (input) => save('providers', () => deps.client.request('settings.provider.save', input)),
      removeProvider: (name) => save('providers', () => deps.client.request('settings.provider.remove', { name })),

      async testProvider(name) {
        set({ tests: { ...get().tests, [name]: null } });
        const result = await deps.client.request('providers.test', { name });
        const tested = testOutcome(result);
        set({ tests: { ...get().tests, [name]: tested } });
      },

      saveGroup: (input) => save('groups', () => deps.client.request('settings.group.save', input)),
      removeGroup: (name) => save('groups', () => deps.client.request('settings.group.remove', { name })),
      saveBudget: (input) => save('budgets', () => deps.client.request('settings.budget.save', input)),
      removeBudget: (scope) => save('budgets', () => deps.client.request('settings.budget.remove', { scope })),
      saveEngine: (input) => save('engine', () => deps.client.request('settings.engine.save', input)),
      saveModelFolders: (folders) => save('data', () => deps.client.request('settings.folders.save', { folders })),
      saveApp: (input) => save('data', () => deps.client.request('settings.app.save', input)),
      clearError: () => set({ error: null }),
    };
  });
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
