import { basename } from 'node:path';
import { type DownloadJob, type DownloadSource } from '../../shared/contract';
import { ContractFailure } from '../api/contract-failure';
import { DownloadFailure, DownloadJobError, type DownloadManager, STARTER_MODEL, UnsafePathError } from '../downloads';
import { type ModelLibrary } from '../models/library';
import { type DownloadsService } from './downloads-types';

/** The download manager behind the contract, with its refusals as contract failures. */
export function createDownloadsService(manager: DownloadManager, library: ModelLibrary): DownloadsService {
  const starterSource: DownloadSource = { kind: 'hub', repo: STARTER_MODEL.repo, file: STARTER_MODEL.file };
  return {
    list: () => manager.list(),
    start: (source) => managed(() => manager.start(source)),
    pause: (id) => managed(() => manager.pause(id)),
    resume: (id) => managed(() => manager.resume(id)),
    cancel: (id) => managed(() => manager.cancel(id)),
    retry: (id) => managed(() => manager.retry(id)),
    dismiss: (id) => ({ dismissed: manager.dismiss(id) }),
    async starter(start) {
      const present = (await library.list()).find((entry) => basename(entry.path).toLowerCase() === STARTER_MODEL.file && entry.error === null);
      if (present !== undefined) return { starter: STARTER_MODEL, job: null, presentAt: present.path };
      const running = manager
        .list()
        .find((job) => job.source.kind === 'hub' && job.source.repo === STARTER_MODEL.repo && job.source.file === STARTER_MODEL.file && job.state !== 'cancelled' && job.state !== 'completed');
      if (running !== undefined || !start) return { starter: STARTER_MODEL, job: running ?? null, presentAt: null };
      const job: DownloadJob = await managed(() => manager.start(starterSource));
      return { starter: STARTER_MODEL, job, presentAt: null };
    },
  };
}

async function managed<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof UnsafePathError) throw new ContractFailure('VALIDATION_FAILED', error.message);
    if (error instanceof DownloadJobError) throw new ContractFailure(error.code, error.message);
    if (error instanceof DownloadFailure) {
      const code = error.code === 'exists' ? 'CONFLICT' : error.code === 'not_found' ? 'NOT_FOUND' : error.code === 'unsafe_path' ? 'VALIDATION_FAILED' : 'UNAVAILABLE';
      throw new ContractFailure(code, error.message, { downloadError: error.code });
    }
    throw error;
  }
}
