import { createStore } from 'zustand/vanilla';
import type { DownloadJob, ModelFit, StarterModel } from '../../../shared/contract';
import type { ContractClient } from '../ipc';
import { describeError } from './loadable';

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export interface FitEntry {
  status: 'loading' | 'ready' | 'error';
  fit: ModelFit | null;
  error: string | null;
}

export interface StarterState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  model: StarterModel | null;
  /** Where it already is in the library, when it is. */
  presentAt: string | null;
  error: string | null;
}

export interface LibraryState {
  /** Ids whose delete is in flight. */
  deleting: Record<string, true>;
  /** The last import or delete outcome, for the page's status line. */
  notice: Notice | null;
  importing: boolean;
  fits: Record<string, FitEntry>;
  starter: StarterState;
  deleteModel(id: string): Promise<boolean>;
  /** Imports files dropped onto the window; `pathOf` gives a file's path on disk (the desktop app only). */
  importFiles(files: readonly File[]): Promise<void>;
  loadFit(id: string): Promise<void>;
  /** Describes the starter model for the onboarding card, without starting it. */
  loadStarter(): Promise<void>;
  /** One click: queues the starter model's download. */
  startStarter(): Promise<void>;
  dismissNotice(): void;
}

export interface LibraryDeps {
  client: ContractClient;
  /** A dropped file's path on disk; null where the host cannot tell (a browser page). */
  pathOf?: ((file: File) => string | null) | undefined;
  /** The library changed (a file deleted or imported): the model lists must be asked again. */
  onLibraryChanged?: () => void;
  /** A download the starter route queued, for the downloads list. */
  onJob?: (job: DownloadJob) => void;
}

/** Only the browser says this: it never sees a dropped file's path, so it cannot hand it to the host. */
export const BROWSER_IMPORT_MESSAGE =
  'Importing a dropped file needs the desktop app: a browser page never learns where a file is on disk. Copy the .gguf file into the models folder instead, then press Refresh.';

const without = <V>(record: Record<string, V>, key: string): Record<string, V> => {
  const { [key]: _gone, ...rest } = record;
  return rest;
};

/** Managing the local library: delete a model, import dropped .gguf files, fit estimates, the starter model. */
export function createLibraryStore(deps: LibraryDeps) {
  return createStore<LibraryState>()((set, get) => {
    async function askStarter(start: boolean) {
      set({ starter: { ...get().starter, status: 'loading', error: null } });
      const result = await deps.client.request('downloads.starter', { start });
      if (!result.ok) {
        set({ starter: { ...get().starter, status: 'error', error: describeError(result.error) } });
        return;
      }
      set({ starter: { status: 'ready', model: result.data.starter, presentAt: result.data.presentAt, error: null } });
      if (result.data.job !== null) deps.onJob?.(result.data.job);
    }

    return {
      deleting: {},
      notice: null,
      importing: false,
      fits: {},
      starter: { status: 'idle', model: null, presentAt: null, error: null },

      async deleteModel(id) {
        if (get().deleting[id]) return false;
        set({ deleting: { ...get().deleting, [id]: true } });
        const result = await deps.client.request('models.delete', { id });
        set({ deleting: without(get().deleting, id) });
        if (!result.ok) {
          set({ notice: { kind: 'error', text: `Could not delete ${id}: ${describeError(result.error)}` } });
          return false;
        }
        set({ notice: { kind: 'ok', text: `Deleted ${result.data.deleted}` }, fits: without(get().fits, id) });
        deps.onLibraryChanged?.();
        return true;
      },

      async importFiles(files) {
        if (files.length === 0) return;
        const ggufs = files.filter((f) => f.name.toLowerCase().endsWith('.gguf'));
        const others = files.filter((f) => !f.name.toLowerCase().endsWith('.gguf'));
        if (ggufs.length === 0) {
          set({ notice: { kind: 'error', text: `Only .gguf model files can be imported (dropped: ${others.map((f) => f.name).join(', ')}).` } });
          return;
        }
        const paths = ggufs.map((f) => ({ name: f.name, path: deps.pathOf?.(f) ?? null }));
        if (paths.some((p) => p.path === null || p.path === '')) {
          set({ notice: { kind: 'error', text: BROWSER_IMPORT_MESSAGE } });
          return;
        }
        set({ importing: true, notice: null });
        const done: string[] = [];
        const failed: string[] = [];
        for (const { name, path } of paths) {
          const result = await deps.client.request('models.import', { path: path as string });
          if (result.ok) done.push(result.data.name);
          else failed.push(`${name}: ${describeError(result.error)}`);
        }
        const skipped = others.length > 0 ? ` Skipped (not .gguf): ${others.map((f) => f.name).join(', ')}.` : '';
        const text =
          failed.length === 0
            ? `Imported ${done.join(', ')}.${skipped}`
            : `${done.length > 0 ? `Imported ${done.join(', ')}. ` : ''}Could not import ${failed.join('; ')}.${skipped}`;
        set({ importing: false, notice: { kind: failed.length === 0 ? 'ok' : 'error', text } });
        if (done.length > 0) deps.onLibraryChanged?.();
      },

      async loadFit(id) {
        const held = get().fits[id];
        if (held !== undefined && held.status !== 'error') return;
        set({ fits: { ...get().fits, [id]: { status: 'loading', fit: null, error: null } } });
        const result = await deps.client.request('models.fit', { id });
        const entry: FitEntry = result.ok ? { status: 'ready', fit: result.data, error: null } : { status: 'error', fit: null, error: describeError(result.error) };
        set({ fits: { ...get().fits, [id]: entry } });
      },

      async loadStarter() {
        if (get().starter.status !== 'loading') await askStarter(false);
      },

      async startStarter() {
        await askStarter(true);
      },

      dismissNotice() {
        set({ notice: null });
      },
    };
  });
}

export type LibraryStore = ReturnType<typeof createLibraryStore>;
