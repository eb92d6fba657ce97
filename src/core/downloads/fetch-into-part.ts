import { createWriteStream, fdatasync } from 'node:fs';
import { stat, truncate } from 'node:fs/promises';
import { once } from 'node:events';
import { request } from 'undici';
import { AttemptStopped, DownloadFailure, toDownloadFailure } from './download-errors';
import { createStreamHasher, type StreamHasher } from './stream-hasher';

export interface FetchIntoPartOptions {
  url: string;
  headers?: Record<string, string>;
  partPath: string;
  /** The size the hub announced; null when unknown (the response's length is used). */
  total: number | null;
  /** No bytes (or no response) for this long fails the attempt as stalled. */
  stallMs: number;
  signal: AbortSignal;
  /** Background flushes to disk every this many bytes (default 64 MiB; 0: none). */
  flushEveryBytes?: number;
  /** Bytes in the part file so far, and the total once known. Called for every chunk. */
  onProgress(bytes: number, total: number | null): void;
}

export interface FetchedPart {
  total: number;
  sha256: string;
  /** Bytes this attempt received (what was fetched, as opposed to reused from the part file). */
  received: number;
}

/** How much unwritten data we buffer: it is what a kill -9 loses and a resume fetches again. */
const WRITE_BUFFER = 256 * 1024;
/**
 * Written bytes are flushed to disk every this many bytes, in the background, so the fsync before
 * the rename finds little left to write (otherwise it waits for the whole file's writeback).
 */
const FLUSH_EVERY = 64 << 20;

/**
 * One attempt: continues `partPath` from its current length with an HTTP Range request, hashing
 * as it writes (the bytes already there are hashed first). A server that ignores the range (200)
 * starts the file over; 416 at the expected end means the part is already whole.
 */
export async function fetchIntoPart(options: FetchIntoPartOptions): Promise<FetchedPart> {
  const { partPath } = options;
  let offset = await fileLength(partPath);
  const expected = options.total;
  if (expected !== null && offset > expected) {
    await truncate(partPath, 0); // longer than the file can be: not ours to trust
    offset = 0;
  }
  // The bytes already there are hashed again (a hash state cannot be saved across a crash).
  const hash = createStreamHasher();
  try {
    return await attempt(options, hash, { offset, expected });
  } finally {
    await hash.close();
  }
}

async function attempt(options: FetchIntoPartOptions, hash: StreamHasher, start: { offset: number; expected: number | null }): Promise<FetchedPart> {
  const { url, partPath, signal } = options;
  let { offset, expected } = start;
  try {
    await hash.prefix(partPath, offset);
  } catch (error) {
    if (signal.aborted) throw new AttemptStopped('stopped');
    throw toDownloadFailure(error, url);
  }
  if (signal.aborted) throw new AttemptStopped('stopped');
  if (expected !== null && offset === expected) return { total: expected, sha256: await hash.digest(), received: 0 };

  // One watchdog for the whole attempt: reset by every chunk; it also covers waiting for headers.
  const watchdog = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => watchdog.abort(), options.stallMs);
  };
  const combined = AbortSignal.any([signal, watchdog.signal]);
  const stalled = () => new DownloadFailure('network', `No data for ${Math.round(options.stallMs / 1000)} s from ${new URL(url).host}: the download stalled.`, true, true);

  arm();
  let received = 0;
  try {
    const response = await request(url, {
      method: 'GET',
      headers: { ...options.headers, ...(offset > 0 && { range: `bytes=${offset}-` }) },
      maxRedirections: 5,
      signal: combined,
    });
    const { statusCode, headers, body } = response;
    const header = (name: string) => {
      const value = headers[name];
      return Array.isArray(value) ? value[0] : value;
    };

    if (statusCode === 416) {
      await body.dump();
      const total = totalFromContentRange(header('content-range'));
      if (total !== null && total === offset) return { total, sha256: await hash.digest(), received: 0 };
      await truncate(partPath, 0);
      throw new DownloadFailure('http', `The server refused to continue at byte ${offset} (416); starting over.`, true);
    }
    if (statusCode !== 200 && statusCode !== 206) {
      await body.dump().catch(() => undefined);
      throw statusFailure(statusCode, url);
    }
    if (statusCode === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header('content-range') ?? '');
      if (range === null || Number(range[1]) !== offset) {
        await body.dump().catch(() => undefined);
        await truncate(partPath, 0);
        throw new DownloadFailure('http', `The server answered a different range (${header('content-range') ?? 'none'}) than asked (from ${offset}); starting over.`, true);
      }
      if (range[3] !== '*') expected = Number(range[3]);
    } else {
      // 200: the whole file. A server without Range support: start the part over.
      if (offset > 0) {
        await truncate(partPath, 0);
        offset = 0;
        await hash.prefix(partPath, 0);
      }
      const length = Number(header('content-length'));
      if (Number.isFinite(length) && length >= 0) expected = length;
    }

    const out = createWriteStream(partPath, { flags: offset > 0 ? 'a' : 'w', highWaterMark: WRITE_BUFFER });
    const outError = once(out, 'error').then(([error]) => {
      throw error;
    });
    outError.catch(() => undefined);
    let bytes = offset;
    let unflushed = 0;
    let flushing = false;
    options.onProgress(bytes, expected);
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        arm();
        const hashing = hash.update(chunk);
        received += chunk.length;
        bytes += chunk.length;
        if (!out.write(chunk)) await Promise.race([once(out, 'drain'), outError]);
        if (hashing) await hashing;
        unflushed += chunk.length;
        const fd = (out as unknown as { fd?: unknown }).fd;
        if (unflushed >= (options.flushEveryBytes ?? FLUSH_EVERY) && (options.flushEveryBytes ?? FLUSH_EVERY) > 0 && !flushing && typeof fd === 'number') {
          unflushed = 0;
          flushing = true;
          fdatasync(fd, () => (flushing = false)); // best effort: the final fsync is the one that counts
        }
        options.onProgress(bytes, expected);
      }
    } finally {
      out.end();
      await Promise.race([once(out, 'close'), outError]);
    }
    if (expected !== null && bytes !== expected) {
      throw new DownloadFailure('network', `The connection closed at byte ${bytes} of ${expected}.`, true);
    }
    return { total: bytes, sha256: await hash.digest(), received };
  } catch (error) {
    if (signal.aborted) throw new AttemptStopped('stopped');
    if (watchdog.signal.aborted) throw stalled();
    throw toDownloadFailure(error, url);
  } finally {
    clearTimeout(timer);
  }
}

async function fileLength(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function totalFromContentRange(value: string | undefined): number | null {
  const m = /\/(\d+)$/.exec(value ?? '');
  return m ? Number(m[1]) : null;
}

function statusFailure(status: number, url: string): DownloadFailure {
  const host = new URL(url).host;
  if (status === 404) return new DownloadFailure('not_found', `${host} has no such file (404).`, false);
  if (status === 401 || status === 403) {
    return new DownloadFailure('http', `${host} refused the download (${status}): the repo may be gated or private. Accept its terms on the hub and set HF_TOKEN.`, false);
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  return new DownloadFailure('http', `${host} answered ${status}.`, retryable);
}
