import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { type Readable } from 'node:stream';
import { stat, truncate } from 'node:fs/promises';
import { once } from 'node:events';
import { request } from 'undici';
import { AttemptStopped, DownloadFailure, toDownloadFailure } from './download-errors';

export interface FetchIntoPartOptions {
  url: string;
  headers?: Record<string, string>;
  partPath: string;
  /** The size the hub announced; null when unknown (the response's length is used). */
  total: number | null;
  /** No bytes (or no response) for this long fails the attempt as stalled. */
  stallMs: number;
  signal: AbortSignal;
  /** Bytes in the part file so far, and the total once known. Called for every chunk. */
  onProgress(bytes: number, total: number | null): void;
}

export interface FetchedPart {
  total: number;
  sha256: string;
  /** Bytes this attempt received (what was fetched, as opposed to reused from the part file). */
  received: number;
}

/**
 * Received bytes not yet written to the part file, at most: the write stream's buffer and
 * undici's response buffer. They are what a kill -9 loses and a resume fetches again, on top of
 * the kernel's socket buffers (the bench row download-kill-refetch keeps the total under 8 MiB).
 * They fill only while writes lag behind the network; bigger ones ride out a write that waits for
 * a busy core instead of pausing the socket (undici's default, 64 KiB, paused it constantly).
 * Chunks that arrive while a write is in flight go out together in one `writev`.
 */
const WRITE_BUFFER = 512 << 10;
const RESPONSE_BUFFER = 512 << 10;
/** Read size when hashing the bytes already in a part file. */
const PREFIX_READ = 4 << 20;

/**
 * One attempt: continues `partPath` from its current length with an HTTP Range request, hashing
 * each chunk as it arrives (the bytes already there are hashed first). A server that ignores the
 * range (200) starts the file over; 416 at the expected end means the part is already whole.
 *
 * The sha256 runs inline on this thread: with SHA extensions it costs about 0.7 s per GiB, less
 * than handing every chunk to a worker did (a copy per chunk, message passing and the garbage
 * they made), and it needs no second core, which a loaded 2-core machine does not have.
 *
 * Nothing here waits for the disk (no fsync): a kill -9 loses only what was not yet written
 * (the page cache survives the process), and the manager makes the file durable after the rename.
 */
export async function fetchIntoPart(options: FetchIntoPartOptions): Promise<FetchedPart> {
  const { partPath } = options;
  let offset = await fileLength(partPath);
  const expected = options.total;
  if (expected !== null && offset > expected) {
    await truncate(partPath, 0); // longer than the file can be: not ours to trust
    offset = 0;
  }
  return attempt(options, { offset, expected });
}

async function attempt(options: FetchIntoPartOptions, start: { offset: number; expected: number | null }): Promise<FetchedPart> {
  const { url, partPath, signal } = options;
  let { offset, expected } = start;
  // The bytes already there are hashed again (a hash state cannot be saved across a crash).
  let hash: Hash;
  try {
    hash = await hashPrefix(partPath, offset, signal);
  } catch (error) {
    if (signal.aborted) throw new AttemptStopped('stopped');
    throw toDownloadFailure(error, url);
  }
  if (expected !== null && offset === expected) return { total: expected, sha256: hash.digest('hex'), received: 0 };

  // One watchdog for the whole attempt, pushed back by every chunk (`refresh` reuses the timer,
  // cheap enough per chunk); it also covers waiting for the response headers.
  const watchdog = new AbortController();
  const timer = setTimeout(() => watchdog.abort(), options.stallMs);
  const combined = AbortSignal.any([signal, watchdog.signal]);
  const stalled = () => new DownloadFailure('network', `No data for ${Math.round(options.stallMs / 1000)} s from ${new URL(url).host}: the download stalled.`, true, true);

  let received = 0;
  try {
    const response = await request(url, {
      method: 'GET',
      headers: { ...options.headers, ...(offset > 0 && { range: `bytes=${offset}-` }) },
      maxRedirections: 5,
      highWaterMark: RESPONSE_BUFFER,
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
      if (total !== null && total === offset) return { total, sha256: hash.digest('hex'), received: 0 };
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
        offset = 0;
        hash = createHash('sha256');
      }
      const length = Number(header('content-length'));
      if (Number.isFinite(length) && length >= 0) expected = length;
    }

    // 'a' appends after what was hashed; 'w' truncates (a fresh file, or a server that ignored Range).
    const out = createWriteStream(partPath, { flags: offset > 0 ? 'a' : 'w', highWaterMark: WRITE_BUFFER });
    const outError = once(out, 'error').then(([error]) => {
      throw error;
    });
    outError.catch(() => undefined);
    let bytes = offset;
    options.onProgress(bytes, expected);
    try {
      await Promise.race([
        eachChunk(body, out, (chunk) => {
          timer.refresh();
          hash.update(chunk);
          received += chunk.length;
          bytes += chunk.length;
          options.onProgress(bytes, expected);
        }),
        outError,
      ]);
    } finally {
      body.destroy();
      out.end();
      await Promise.race([once(out, 'close'), outError]);
    }
    if (expected !== null && bytes !== expected) {
      throw new DownloadFailure('network', `The connection closed at byte ${bytes} of ${expected}.`, true);
    }
    return { total: bytes, sha256: hash.digest('hex'), received };
  } catch (error) {
    if (signal.aborted) throw new AttemptStopped('stopped');
    if (watchdog.signal.aborted) throw stalled();
    throw toDownloadFailure(error, url);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Feeds every chunk of `body` to `onChunk` and writes it to `out`, pausing the body while `out` is
 * full; resolves at the body's end. 'data' events rather than `for await`: the async iterator reads
 * whatever is buffered as one concatenated Buffer, a copy and an allocation per read.
 */
function eachChunk(body: Readable, out: WriteStream, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const resume = () => body.resume();
    body.on('data', (chunk: Buffer) => {
      onChunk(chunk);
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', resume);
      }
    });
    body.once('end', resolve);
    body.once('error', reject);
  });
}

/** A sha256 already fed the first `length` bytes of the file (read in large blocks, between chunks of other work). */
async function hashPrefix(path: string, length: number, signal: AbortSignal): Promise<Hash> {
  const hash = createHash('sha256');
  if (length === 0) return hash;
  let read = 0;
  for await (const block of createReadStream(path, { start: 0, end: length - 1, highWaterMark: PREFIX_READ, signal })) {
    hash.update(block as Buffer);
    read += (block as Buffer).length;
  }
  if (read !== length) throw new Error(`the partial file ${path} is shorter than expected (${read} of ${length} bytes)`);
  return hash;
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
