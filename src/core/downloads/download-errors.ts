import { type DownloadError } from '../../shared/contract';

/**
 * Why an attempt ended early. `retryable` failures (a cut connection, a stall, a 5xx) are tried
 * again with backoff; the others end the job as `failed` with `code`.
 */
export class DownloadFailure extends Error {
  override readonly name = 'DownloadFailure';
  constructor(
    readonly code: DownloadError['code'],
    message: string,
    readonly retryable: boolean,
    /** The attempt got no bytes for the stall timeout. */
    readonly stalled = false,
  ) {
    super(message);
  }
}

/** An attempt stopped on purpose (pause, cancel, shutdown): not a failure, never retried. */
export class AttemptStopped extends Error {
  override readonly name = 'AttemptStopped';
}

/** A node/undici error as a DownloadFailure: connection problems are retryable, a full disk is not. */
export function toDownloadFailure(error: unknown, url: string): DownloadFailure | AttemptStopped {
  if (error instanceof DownloadFailure || error instanceof AttemptStopped) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new DownloadFailure('disk_full', `The disk is full: ${message}`, false);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new DownloadFailure('internal', `The models folder cannot be written: ${message}`, false);
  // Any other file-system error (the syscall is set on those) is ours, not the network's.
  if (typeof (error as { syscall?: unknown }).syscall === 'string' && typeof (error as { path?: unknown }).path === 'string') {
    return new DownloadFailure('internal', `The partial file could not be written: ${message}`, false);
  }
  return new DownloadFailure('network', `The connection to ${new URL(url).host} failed: ${message}`, true);
}
