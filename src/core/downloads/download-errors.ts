import { type DownloadError } from '../../shared/contract';

/** What else is known about how an attempt failed. */
export interface FailureDetail {
  /** The attempt got no bytes for the stall timeout. */
  stalled?: boolean;
  /**
   * The server refused the connection: nothing listens there (Ollama not started, a wrong
   * address). Not a stall: a couple of quick retries, then the job fails with the message.
   */
  refused?: boolean;
}

/**
 * Why an attempt ended early. `retryable` failures (a cut connection, a stall, a 5xx) are tried
 * again with backoff; the others end the job as `failed` with `code`.
 */
export class DownloadFailure extends Error {
  override readonly name = 'DownloadFailure';
  readonly stalled: boolean;
  readonly refused: boolean;
  constructor(
    readonly code: DownloadError['code'],
    message: string,
    readonly retryable: boolean,
    detail: FailureDetail = {},
  ) {
    super(message);
    this.stalled = detail.stalled ?? false;
    this.refused = detail.refused ?? false;
  }
}

/** True when the error, or one it wraps (`cause`, an AggregateError's `errors`), is ECONNREFUSED. */
export function isConnectionRefused(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || typeof error !== 'object') return false;
  if ((error as { code?: unknown }).code === 'ECONNREFUSED') return true;
  const inner: unknown = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && (inner as unknown[]).some((e) => isConnectionRefused(e, depth + 1))) return true;
  return isConnectionRefused((error as { cause?: unknown }).cause, depth + 1);
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
