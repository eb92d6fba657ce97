import { createStore } from 'zustand/vanilla';
import type { DownloadJob, DownloadSource, ErrorCode } from '../../../shared/contract';
import type { ContractClient } from '../ipc';
import { DOWNLOADS_PROGRESS } from '../ipc/host-events';
import type { Scheduler } from './delta-buffer';
import { createLatestBuffer } from './latest-buffer';
import { type LoadStatus, describeError } from './loadable';

export type DownloadAction = 'pause' | 'resume' | 'cancel' | 'retry' | 'dismiss';

/** What `start` answers: the job, or why the host refused it (`code` tells a full disk from a bad name). */
export type StartOutcome = { ok: true; job: DownloadJob } | { ok: false; code: ErrorCode; message: string };

export interface DownloadsState {
  /** Job ids, newest first. Kept apart from `jobs` so progress re-renders one row, not the list. */
  ids: string[];
  jobs: Record<string, DownloadJob>;
  status: LoadStatus;
  error: string | null;
  /** The action in flight per job (its buttons wait for it). */
  busy: Record<string, DownloadAction>;
  /** Why the last action on a job was refused. */
  actionErrors: Record<string, string>;
  refresh(): Promise<void>;
  start(source: DownloadSource): Promise<StartOutcome>;
  act(id: string, action: DownloadAction): Promise<void>;
  /** Takes a job another route answered (the onboarding's starter download). */
  track(job: DownloadJob): void;
}

/** The buttons a job in this state offers, in order. */
export function actionsFor(state: DownloadJob['state']): DownloadAction[] {
  switch (state) {
    case 'queued':
    case 'running':
    case 'stalled':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'failed':
    case 'cancelled':
      return ['retry', 'dismiss'];
    case 'completed':
      return ['dismiss'];
    case 'verifying':
      return [];
  }
}

/** `hub:owner/repo/file` or `ollama:name`: one key per thing downloaded, to find a file's job. */
export function sourceKey(source: DownloadSource): string {
  return source.kind === 'hub' ? `hub:${source.repo}/${source.file}` : `ollama:${source.provider ?? ''}/${source.model}`;
}

const newestFirst = (jobs: Record<string, DownloadJob>) => (a: string, b: string) =>
  (jobs[b]?.createdAt ?? 0) - (jobs[a]?.createdAt ?? 0) || (a < b ? -1 : a > b ? 1 : 0);

function looksLikeJob(data: unknown): data is DownloadJob {
  const job = data as Partial<DownloadJob> | null;
  return typeof job === 'object' && job !== null && typeof job.id === 'string' && typeof job.state === 'string' && typeof job.updatedAt === 'number';
}

const without = <V>(record: Record<string, V>, key: string): Record<string, V> => {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
};

/**
 * The download jobs, live: `downloads.list` once, then every `downloads.progress` event upserts its
 * job. Events are coalesced per job and applied at most once a frame; an answer or event older than
 * what the store holds (by `updatedAt`) is ignored, so a late reply never rolls a job back.
 */
export function createDownloadsStore(deps: { client: ContractClient; schedule?: Scheduler; onCompleted?: (job: DownloadJob) => void }) {
  // Dismissed jobs stay gone even if a late event for them arrives.
  const dismissed = new Set<string>();

  const store = createStore<DownloadsState>()((set, get) => {
    const run = async (id: string, action: DownloadAction) => {
      const input = { id };
      switch (action) {
        case 'pause':
          return deps.client.request('downloads.pause', input);
        case 'resume':
          return deps.client.request('downloads.resume', input);
        case 'cancel':
          return deps.client.request('downloads.cancel', input);
        case 'retry':
          return deps.client.request('downloads.retry', input);
        case 'dismiss':
          return deps.client.request('downloads.dismiss', input);
      }
    };

    return {
      ids: [],
      jobs: {},
      status: 'idle',
      error: null,
      busy: {},
      actionErrors: {},

      async refresh() {
        set({ status: 'loading' });
        const result = await deps.client.request('downloads.list', {});
        if (!result.ok) {
          set({ status: 'error', error: describeError(result.error) });
          return;
        }
        buffer.flush();
        upsert(result.data, { replace: true });
        set({ status: 'ready', error: null });
      },

      async start(source) {
        const result = await deps.client.request('downloads.start', source);
        if (!result.ok) return { ok: false, code: result.error.code, message: describeError(result.error) };
        dismissed.delete(result.data.id);
        upsert([result.data]);
        return { ok: true, job: result.data };
      },

      async act(id, action) {
        if (get().busy[id] !== undefined) return;
        set({ busy: { ...get().busy, [id]: action }, actionErrors: without(get().actionErrors, id) });
        const result = await run(id, action);
        set({ busy: without(get().busy, id) });
        if (!result.ok) {
          set({ actionErrors: { ...get().actionErrors, [id]: describeError(result.error) } });
          return;
        }
        if (action === 'dismiss') {
          dismissed.add(id);
          set({ ids: get().ids.filter((x) => x !== id), jobs: without(get().jobs, id) });
          return;
        }
        upsert([result.data as DownloadJob]);
      },

      track(job) {
        dismissed.delete(job.id);
        upsert([job]);
      },
    };
  });

  /** Takes jobs newer than what the store holds; `replace` (a full list) also drops the jobs it lacks. */
  function upsert(incoming: readonly DownloadJob[], options: { replace?: boolean } = {}) {
    const before = store.getState().jobs;
    const jobs: Record<string, DownloadJob> = options.replace ? {} : { ...before };
    const finished: DownloadJob[] = [];
    for (const job of incoming) {
      if (dismissed.has(job.id) && !options.replace) continue;
      const held = before[job.id];
      if (held !== undefined && job.updatedAt < held.updatedAt) {
        jobs[job.id] = held;
        continue;
      }
      jobs[job.id] = job;
      if (held !== undefined && held.state !== 'completed' && job.state === 'completed') finished.push(job);
    }
    const sameIds = !options.replace && incoming.every((job) => job.id in before);
    const ids = sameIds ? store.getState().ids : Object.keys(jobs).sort(newestFirst(jobs));
    store.setState({ jobs, ids });
    for (const job of finished) deps.onCompleted?.(job);
  }

  const buffer = createLatestBuffer<DownloadJob>((batch) => upsert([...batch.values()]), deps.schedule);
  deps.client.on(DOWNLOADS_PROGRESS, (data) => {
    if (looksLikeJob(data)) buffer.put(data.id, data);
  });

  return store;
}

export type DownloadsStore = ReturnType<typeof createDownloadsStore>;
