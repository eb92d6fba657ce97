import { randomUUID } from 'node:crypto';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { type DownloadError, type DownloadJob, type DownloadSource, type DownloadState } from '../../shared/contract';
import { ProviderError } from '../../shared/llm';
import { type DownloadsRepository, type StoredDownload } from '../store';
import { AttemptStopped, DownloadFailure, isConnectionRefused } from './download-errors';
import { fetchIntoPart } from './fetch-into-part';
import { DISK_RESERVE_BYTES, type FreeSpaceProbe, statfsFreeSpace } from './free-space';
import { sha256File } from './hash-file';
import { ProgressMeter } from './progress-meter';
import { lockPart } from './part-lock';
import { hubDestination, partPathOf } from './safe-destination';
import { syncToDisk } from './sync-to-disk';

/** Where a hub file is fetched from, and what it should be. */
export interface HubFileInfo {
  url: string;
  /** Null when the hub does not say (the response's length is used). */
  size: number | null;
  /** The LFS sha256; null for a file without one (then only the size is checked). */
  sha256: string | null;
  headers?: Record<string, string>;
}

export interface OllamaPullEvents {
  signal: AbortSignal;
  /** One Ollama progress event: a layer (`digest`) with its bytes so far and its size. */
  onProgress(event: { digest?: string; completed?: number; total?: number }): void;
}

export interface RetryPolicy {
  /** Failed attempts in a row (without a byte of progress between them) before the job fails. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Attempts in a row refused by the server (nothing listens: Ollama not started) before the job
   * fails. They are retried at once after `refusedDelayMs`, without the backoff or a `stalled` state.
   */
  refusedAttempts: number;
  refusedDelayMs: number;
}

export interface DownloadManagerOptions {
  repository: DownloadsRepository;
  /** The data dir's models folder: hub files land in `<modelsDir>/<owner>/<repo>/<file>`. */
  modelsDir: string;
  resolveHubFile(repo: string, file: string, signal: AbortSignal): Promise<HubFileInfo>;
  /** Runs an Ollama pull; without it, Ollama sources are refused. */
  pullOllama?(source: Extract<DownloadSource, { kind: 'ollama' }>, events: OllamaPullEvents): Promise<void>;
  freeSpace?: FreeSpaceProbe;
  /** Jobs running at once. Default 2. */
  maxConcurrent?: number;
  /** No bytes for this long fails an attempt as stalled (and it is retried). Default 30 000. */
  stallMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Job updates for the hosts (`downloads.progress`): every state change, and progress at most every `progressIntervalMs`. */
  onChange?(job: DownloadJob): void;
  progressIntervalMs?: number;
  clock?: () => number;
  random?: () => number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface DownloadManager {
  /**
   * Adopts and runs every job a previous run left queued, running or stalled (after a crash or a
   * kill -9 too). Only a long-lived host calls it; otherwise the manager drives only the jobs
   * started, resumed or retried through it.
   */
  resumeUnfinished(): void;
  list(): DownloadJob[];
  get(id: string): DownloadJob | undefined;
  /**
   * Refuses up front (DownloadFailure): an unsafe path, a full disk, a file already present, an unknown file.
   * The same source asked again answers its unfinished job, revived here when no one is running it
   * in this process (left `running` by a killed process, queued, stalled or paused).
   */
  start(source: DownloadSource): Promise<DownloadJob>;
  pause(id: string): Promise<DownloadJob>;
  resume(id: string): Promise<DownloadJob>;
  cancel(id: string): Promise<DownloadJob>;
  retry(id: string): Promise<DownloadJob>;
  dismiss(id: string): boolean;
  /** Resolves once the job is completed, failed, cancelled or paused. */
  settled(id: string): Promise<DownloadJob>;
  /** Stops running attempts, leaving them queued for the next start (partial files stay), and waits for flushes of finished files. */
  close(): Promise<void>;
}

/** Thrown by the manager's methods for an unknown job or a move its state does not allow. */
export class DownloadJobError extends Error {
  override readonly name = 'DownloadJobError';
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT',
    message: string,
  ) {
    super(message);
  }
}

const FINISHED: ReadonlySet<DownloadState> = new Set(['completed', 'failed', 'cancelled']);
const SETTLED: ReadonlySet<DownloadState> = new Set(['completed', 'failed', 'cancelled', 'paused']);
const UNFINISHED_ON_DISK: ReadonlySet<DownloadState> = new Set(['queued', 'running', 'stalled', 'verifying']);
/** A run that fails this many times in total gives up even if each attempt made some progress. */
const HARD_ATTEMPT_CAP = 50;

interface Running {
  controller: AbortController;
  stop?: 'pause' | 'cancel' | 'shutdown';
  done: Promise<void>;
}

export function sourceKey(source: DownloadSource): string {
  return source.kind === 'hub' ? `hub:${source.repo}:${source.file}` : `ollama:${source.provider ?? ''}:${source.model}`;
}

/**
 * The download manager: a queue with a concurrency limit, job state in SQLite, Range resume into
 * a hidden `.part` file, sha256 verification against the hub's LFS oid, stall detection with
 * retries and exponential backoff, a free-space check before start, and an atomic rename into the
 * models folder. Ollama pulls run as jobs of the same queue.
 */
export function createDownloadManager(options: DownloadManagerOptions): DownloadManager {
  const repo = options.repository;
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const freeSpace = options.freeSpace ?? statfsFreeSpace;
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 2);
  const stallMs = options.stallMs ?? 30_000;
  const retry: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, refusedAttempts: 3, refusedDelayMs: 500, ...options.retry };
  const progressIntervalMs = options.progressIntervalMs ?? 250;
  const log = options.log ?? (() => undefined);

  const running = new Map<string, Running>();
  const meters = new Map<string, ProgressMeter>();
  const live = new Map<string, { bytes: number; total: number | null; emittedAt: number; savedAt: number }>();
  const waiters = new Map<string, Array<(job: DownloadJob) => void>>();
  /**
   * The jobs this manager runs when they are queued: those started, resumed or retried through
   * it, and what `resumeUnfinished` adopted. Other queued rows belong to another process on the
   * same data dir (a CLI beside the app), or wait for the next long-lived host.
   */
  const owned = new Set<string>();
  /** Flushes of finished files still going (see `syncToDisk`); `close` waits for them. */
  const syncing = new Set<Promise<void>>();
  let closed = false;

  const view = (stored: StoredDownload): DownloadJob => {
    const now = live.get(stored.id);
    const meter = meters.get(stored.id);
    const active = running.has(stored.id) && (stored.state === 'running' || stored.state === 'verifying');
    const bytes = now?.bytes ?? stored.bytes;
    const total = now?.total ?? stored.total;
    return {
      id: stored.id,
      source: stored.source,
      title: stored.title,
      state: stored.state,
      bytes,
      total,
      speedBps: active ? (meter?.speed() ?? null) : null,
      etaSeconds: active ? (meter?.eta(bytes, total) ?? null) : null,
      destPath: stored.destPath,
      sha256: stored.sha256,
      attempts: stored.attempts,
      error: stored.error,
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
      completedAt: stored.completedAt,
    };
  };

  const emit = (job: DownloadJob) => {
    try {
      options.onChange?.(job);
    } catch (error) {
      log('warn', `a downloads listener failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (SETTLED.has(job.state)) {
      const list = waiters.get(job.id);
      waiters.delete(job.id);
      for (const resolve of list ?? []) resolve(job);
    }
  };

  const must = (id: string): StoredDownload => {
    const stored = repo.get(id);
    if (stored === undefined) throw new DownloadJobError('NOT_FOUND', `There is no download ${id}.`);
    return stored;
  };

  /** Writes a change (state, error, …) and tells the hosts at once. */
  const update = (id: string, patch: Partial<Omit<StoredDownload, 'id' | 'sourceKey' | 'source' | 'createdAt'>>): DownloadJob => {
    const bytes = live.get(id)?.bytes;
    repo.update(id, { ...(bytes !== undefined && { bytes }), ...patch, updatedAt: clock() });
    const job = view(must(id));
    emit(job);
    return job;
  };

  const progress = (id: string, bytes: number, total: number | null) => {
    const now = clock();
    const state = live.get(id) ?? { bytes, total, emittedAt: 0, savedAt: now };
    state.bytes = bytes;
    state.total = total;
    live.set(id, state);
    meters.get(id)?.sample(bytes);
    if (now - state.emittedAt < progressIntervalMs) return;
    state.emittedAt = now;
    // The part file is the truth after a crash; the row's bytes are for listing, saved now and then.
    if (now - state.savedAt >= 1_000) {
      state.savedAt = now;
      repo.update(id, { bytes, total, updatedAt: now });
    }
    const stored = repo.get(id);
    if (stored) emit(view(stored));
  };

  const checkSpace = async (dir: string, needed: number) => {
    await mkdir(dir, { recursive: true });
    const free = await freeSpace(dir);
    if (free < needed + DISK_RESERVE_BYTES) {
      throw new DownloadFailure(
        'disk_full',
        `Not enough disk space in ${dir}: the download needs ${formatBytes(needed)} (plus ${formatBytes(DISK_RESERVE_BYTES)} to spare) and ${formatBytes(free)} is free. Free some space or choose a smaller file.`,
        false,
      );
    }
  };

  const partLength = async (path: string) => (await stat(path).catch(() => undefined))?.size ?? 0;

  async function runHub(job: StoredDownload, source: Extract<DownloadSource, { kind: 'hub' }>, signal: AbortSignal): Promise<void> {
    const destination = job.destPath ?? hubDestination(options.modelsDir, source.repo, source.file);
    const part = partPathOf(destination);
    const info = await options.resolveHubFile(source.repo, source.file, signal);
    const sha256 = info.sha256 ?? job.sha256;
    if (info.size !== job.total || sha256 !== job.sha256) update(job.id, { total: info.size, sha256 });

    // A kill -9 between the rename and the row update leaves the file in place and no part.
    if (await exists(destination)) {
      if ((await partLength(part)) === 0 && sha256 !== null && (await sha256File(destination)) === sha256) return;
      throw new DownloadFailure('exists', `${destination} already exists and is a different file. Delete it or remove it from the models folder first.`, false);
    }
    await mkdir(dirname(destination), { recursive: true });
    if (info.size !== null) await checkSpace(dirname(destination), Math.max(0, info.size - (await partLength(part))));

    const unlock = await lockPart(part);
    try {
      await fetchAndPlace();
    } finally {
      await unlock();
    }

    async function fetchAndPlace(): Promise<void> {
      const result = await fetchIntoPart({
        url: info.url,
        ...(info.headers !== undefined && { headers: info.headers }),
        partPath: part,
        total: info.size,
        stallMs,
        signal,
        onProgress: (bytes, total) => progress(job.id, bytes, total),
      });
      update(job.id, { state: 'verifying', bytes: result.total, total: result.total });
      if (sha256 !== null && result.sha256 !== sha256) {
        await unlink(part).catch(() => undefined);
        live.delete(job.id);
        throw new DownloadFailure('checksum', `${basename(destination)} does not match the hub's sha256 (expected ${sha256}, got ${result.sha256}); the file was deleted. Retry to download it again.`, false);
      }
      // The rename is atomic: the model's name appears only with every verified byte behind it,
      // even after a crash or a kill -9. Waiting for the disk here would hold every download to
      // the disk's write speed (a 2 GiB file on a 140 MB/s disk: 15 s more); it is flushed after.
      await rename(part, destination);
      const flushing = syncToDisk(destination)
        .catch((error: unknown) => log('warn', `flushing ${destination} to disk failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => syncing.delete(flushing));
      syncing.add(flushing);
    }
  }

  async function runOllama(job: StoredDownload, source: Extract<DownloadSource, { kind: 'ollama' }>, signal: AbortSignal): Promise<void> {
    if (options.pullOllama === undefined) throw new DownloadFailure('ollama', 'This host has no Ollama provider to pull with.', false);
    const layers = new Map<string, { completed: number; total: number }>();
    try {
      await options.pullOllama(source, {
        signal,
        onProgress: (event) => {
          if (event.digest === undefined || event.total === undefined) return;
          layers.set(event.digest, { completed: event.completed ?? 0, total: event.total });
          let bytes = 0;
          let total = 0;
          for (const layer of layers.values()) {
            bytes += layer.completed;
            total += layer.total;
          }
          progress(job.id, bytes, total);
        },
      });
    } catch (error) {
      if (signal.aborted) throw new AttemptStopped('stopped');
      if (error instanceof DownloadFailure) throw error;
      if (error instanceof ProviderError) {
        if (error.kind === 'aborted') throw new AttemptStopped('stopped');
        if (error.kind === 'not_found') throw new DownloadFailure('not_found', error.message, false);
        if (isConnectionRefused(error)) throw new DownloadFailure('ollama', error.message, true, { refused: true });
        throw new DownloadFailure('ollama', error.message, error.kind === 'connection' || error.kind === 'timeout' || error.retryable);
      }
      throw new DownloadFailure('ollama', error instanceof Error ? error.message : String(error), false);
    }
  }

  /** One job, from its first attempt to a final state, holding a concurrency slot throughout. */
  async function run(id: string, entry: Running): Promise<void> {
    const signal = entry.controller.signal;
    let failuresInARow = 0;
    let refusedInARow = 0;
    meters.set(id, new ProgressMeter(clock));
    for (let attempt = 0; ; attempt++) {
      const job = must(id);
      update(id, { state: 'running', attempts: job.attempts + 1, error: null });
      const before = live.get(id)?.bytes ?? job.bytes;
      try {
        if (job.source.kind === 'hub') await runHub(job, job.source, signal);
        else await runOllama(job, job.source, signal);
        const total = live.get(id)?.total ?? must(id).total;
        update(id, { state: 'completed', completedAt: clock(), ...(total !== null && { bytes: total }), error: null });
        return;
      } catch (caught) {
        if (signal.aborted || caught instanceof AttemptStopped) return stopped(id, entry);
        const failure = caught instanceof DownloadFailure ? caught : new DownloadFailure('internal', caught instanceof Error ? caught.message : String(caught), false);
        const progressed = (live.get(id)?.bytes ?? 0) > before;
        failuresInARow = progressed ? 1 : failuresInARow + 1;
        refusedInARow = failure.refused ? refusedInARow + 1 : 0;
        const error: DownloadError = { code: failure.code, message: failure.message };
        const retriesLeft = failure.refused ? refusedInARow < retry.refusedAttempts : failuresInARow < retry.maxAttempts;
        if (!failure.retryable || !retriesLeft || attempt + 1 >= HARD_ATTEMPT_CAP) {
          // Info, not a warning: the job carries the error to every host (and the CLI prints it once).
          log('info', `download ${job.title} failed: ${failure.message}`);
          update(id, { state: 'failed', error });
          return;
        }
        if (failure.refused) {
          // Nothing listens there (yet): a quick try again, still `running`; it is not a stall.
          await sleep(retry.refusedDelayMs, signal);
          if (signal.aborted) return stopped(id, entry);
          continue;
        }
        const delay = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (failuresInARow - 1)) * (0.75 + random() * 0.5);
        update(id, { state: 'stalled', error: { code: error.code, message: `${error.message} Retrying in ${Math.max(1, Math.round(delay / 1000))} s.` } });
        meters.get(id)?.reset();
        await sleep(delay, signal);
        if (signal.aborted) return stopped(id, entry);
      }
    }
  }

  async function stopped(id: string, entry: Running): Promise<void> {
    if (entry.stop === 'cancel') {
      const job = must(id);
      if (job.source.kind === 'hub' && job.destPath !== null) await unlink(partPathOf(job.destPath)).catch(() => undefined);
      live.delete(id);
      update(id, { state: 'cancelled', bytes: 0, error: null });
    } else if (entry.stop === 'pause') {
      update(id, { state: 'paused' });
    } else {
      // Shutdown: queued again, so the next start picks it up from its part file.
      const bytes = live.get(id)?.bytes;
      repo.update(id, { state: 'queued', ...(bytes !== undefined && { bytes }), updatedAt: clock() });
    }
  }

  function pump(): void {
    if (closed) return;
    const queued = repo
      .list()
      .filter((job) => job.state === 'queued' && owned.has(job.id) && !running.has(job.id))
      .sort((a, b) => a.createdAt - b.createdAt);
    for (const job of queued) {
      if (running.size >= maxConcurrent) return;
      const entry: Running = { controller: new AbortController(), done: Promise.resolve() };
      running.set(job.id, entry);
      entry.done = run(job.id, entry)
        .catch((error: unknown) => {
          log('error', `download ${job.id}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          if (repo.get(job.id)) update(job.id, { state: 'failed', error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } });
        })
        .finally(() => {
          running.delete(job.id);
          meters.delete(job.id);
          pump();
        });
    }
  }

  async function stop(id: string, reason: 'pause' | 'cancel'): Promise<void> {
    const entry = running.get(id);
    if (entry === undefined) return;
    entry.stop = reason;
    entry.controller.abort();
    await entry.done;
  }

  return {
    resumeUnfinished() {
      for (const job of repo.list()) {
        if (!UNFINISHED_ON_DISK.has(job.state)) continue;
        if (job.state !== 'queued') repo.update(job.id, { state: 'queued', updatedAt: clock() });
        owned.add(job.id);
      }
      pump();
    },

    list: () => repo.list().map(view),
    get: (id) => {
      const stored = repo.get(id);
      return stored && view(stored);
    },

    async start(source) {
      if (closed) throw new DownloadJobError('CONFLICT', 'The download manager is shutting down.');
      const key = sourceKey(source);
      const existing = repo.findUnfinished(key);
      if (existing !== undefined) {
        if (running.has(existing.id)) return view(existing);
        // Asked for again and not running here: continue it from its part file.
        owned.add(existing.id);
        if (existing.state !== 'queued') update(existing.id, { state: 'queued', error: null });
        pump();
        return view(must(existing.id));
      }

      let destPath: string | null = null;
      let total: number | null = null;
      let sha256: string | null = null;
      if (source.kind === 'hub') {
        destPath = hubDestination(options.modelsDir, source.repo, source.file);
        if (await exists(destPath)) throw new DownloadFailure('exists', `${basename(destPath)} is already in the library (${destPath}).`, false);
        const info = await options.resolveHubFile(source.repo, source.file, AbortSignal.timeout(30_000));
        total = info.size;
        sha256 = info.sha256;
        if (total !== null) await checkSpace(dirname(destPath), Math.max(0, total - (await partLength(partPathOf(destPath)))));
      } else if (options.pullOllama === undefined) {
        throw new DownloadFailure('ollama', 'This host has no Ollama provider to pull with.', false);
      }
      const now = clock();
      const stored: StoredDownload = {
        id: randomUUID(),
        sourceKey: key,
        source,
        title: source.kind === 'hub' ? basename(source.file) : source.model,
        state: 'queued',
        bytes: destPath === null ? 0 : await partLength(partPathOf(destPath)),
        total,
        destPath,
        sha256,
        attempts: 0,
        error: null,
        createdAt: now,
        updatedAt: now,
        completedAt: null,
      };
      repo.insert(stored);
      owned.add(stored.id);
      emit(view(stored));
      pump();
      return view(must(stored.id));
    },

    async pause(id) {
      const job = must(id);
      if (job.state === 'paused') return view(job);
      if (FINISHED.has(job.state)) throw new DownloadJobError('CONFLICT', `The download of ${job.title} has ${job.state}; only an unfinished download can be paused.`);
      if (running.has(id)) await stop(id, 'pause');
      else update(id, { state: 'paused' });
      return view(must(id));
    },

    async resume(id) {
      const job = must(id);
      if (job.state !== 'paused') {
        if (FINISHED.has(job.state)) throw new DownloadJobError('CONFLICT', `The download of ${job.title} has ${job.state}; use retry to start it again.`);
        return view(job);
      }
      owned.add(id);
      update(id, { state: 'queued', error: null });
      pump();
      return view(must(id));
    },

    async cancel(id) {
      const job = must(id);
      if (job.state === 'cancelled') return view(job);
      if (job.state === 'completed') throw new DownloadJobError('CONFLICT', `${job.title} has finished downloading; delete the model instead.`);
      if (running.has(id)) {
        await stop(id, 'cancel');
      } else {
        if (job.source.kind === 'hub' && job.destPath !== null) await unlink(partPathOf(job.destPath)).catch(() => undefined);
        live.delete(id);
        update(id, { state: 'cancelled', bytes: 0, error: null });
      }
      return view(must(id));
    },

    async retry(id) {
      const job = must(id);
      if (job.state !== 'failed' && job.state !== 'cancelled') {
        throw new DownloadJobError('CONFLICT', `The download of ${job.title} is ${job.state}; only a failed or cancelled download can be retried.`);
      }
      const other = repo.findUnfinished(job.sourceKey);
      if (other !== undefined) return view(other);
      owned.add(id);
      update(id, { state: 'queued', error: null, completedAt: null });
      pump();
      return view(must(id));
    },

    dismiss(id) {
      const job = repo.get(id);
      if (job === undefined || !FINISHED.has(job.state)) return false;
      // A failed job's partial bytes were kept for a retry; dismissing it gives up on them.
      if (job.state === 'failed' && job.destPath !== null) void unlink(partPathOf(job.destPath)).catch(() => undefined);
      live.delete(id);
      owned.delete(id);
      return repo.delete(id);
    },

    settled(id) {
      const job = must(id);
      if (SETTLED.has(job.state) && !running.has(id)) return Promise.resolve(view(job));
      return new Promise((resolve) => {
        const list = waiters.get(id) ?? [];
        list.push(resolve);
        waiters.set(id, list);
      });
    },

    async close() {
      closed = true;
      const entries = [...running.values()];
      for (const entry of entries) {
        entry.stop = 'shutdown';
        entry.controller.abort();
      }
      await Promise.all(entries.map((entry) => entry.done));
      await Promise.all([...syncing]);
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** Waits `ms`, or less when the signal aborts (never rejects). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
