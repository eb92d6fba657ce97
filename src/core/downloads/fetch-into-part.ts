import { type Readable } from 'node:stream';
import { stat, truncate } from 'node:fs/promises';
import { request } from 'undici';
import { AttemptStopped, DownloadFailure, toDownloadFailure } from './download-errors';
import { type FileHasher, startFileHasher } from './file-hasher';
import { PartWriter } from './part-writer';

export interface FetchIntoPartOptions {
  url: string;
  headers?: Record<string, string>;
  partPath: string;
  /** The size the hub announced; null when unknown (the response's length is used). */
  total: number | null;
  /** No bytes (or no response) for this long fails the attempt as stalled. */
  stallMs: number;
  signal: AbortSignal;
  /** Bytes in the part file so far, and the total once known. Called after every write to it. */
  onProgress(bytes: number, total: number | null): void;
}

export interface FetchedPart {
  total: number;
  sha256: string;
  /** Bytes this attempt received (what was fetched, as opposed to reused from the part file). */
  received: number;
}

/**
 * Received bytes not yet written to the part file, at most: the writer's queue (with the write in
 * flight) and undici's response buffer. They are what a kill -9 loses and a resume fetches again, on top of
 * the kernel's socket buffers (the bench row download-kill-refetch keeps the total under 8 MiB).
 * They fill only while writes lag behind the network; bigger ones ride out a write that waits for
 * a busy core instead of pausing the socket (undici's default, 64 KiB, paused it constantly).
 * Chunks that arrive while a write is in flight go out together in one `writev`.
 */
const WRITE_BUFFER = 512 << 10;
const RESPONSE_BUFFER = 512 << 10;

/**
 * One attempt: continues `partPath` from its current length with an HTTP Range request. A server
 * that ignores the range (200) starts the file over; 416 at the expected end means the part is
 * already whole.
 *
 * The sha256 is of the part file itself, read back from the page cache by a worker thread a few
 * MiB behind the writes (`file-hasher.ts`), the bytes already there first. Hashing inline on
 * this thread (about 0.7 s per GiB with SHA extensions) made it the bottleneck: the socket, the
 * writes and the hash in series. A worker that was posted every chunk cost more than it saved (a
 * copy and a message per chunk); reading the file back costs one copy from the page cache, on the
 * worker's own core, and nothing per chunk here.
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
  if (expected !== null && offset === expected) return { total: expected, sha256: await hashWhole(partPath, offset, signal, url), received: 0 };

  // One watchdog for the whole attempt, pushed back by every chunk (`refresh` reuses the timer,
  // cheap enough per chunk); it also covers waiting for the response headers.
  const watchdog = new AbortController();
  const timer = setTimeout(() => watchdog.abort(), options.stallMs);
  const combined = AbortSignal.any([signal, watchdog.signal]);
  const stalled = () => new DownloadFailure('network', `No data for ${Math.round(options.stallMs / 1000)} s from ${new URL(url).host}: the download stalled.`, true, { stalled: true });

  let received = 0;
  let hasher: FileHasher | undefined;
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
      if (total !== null && total === offset) return { total, sha256: await hashWhole(partPath, offset, signal, url), received: 0 };
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
      offset = 0;
      const length = Number(header('content-length'));
      if (Number.isFinite(length) && length >= 0) expected = length;
    }

    // Appends after the bytes already there, or truncates (a fresh file, or a server that ignored
    // Range). The hasher starts once the file is open: it reads from the first byte, the part
    // already there included (a hash state cannot be saved across a crash), behind the writer.
    const out = await PartWriter.open(partPath, {
      append: offset > 0,
      start: offset,
      limit: WRITE_BUFFER,
      onWritten: (bytes) => {
        hasher?.advance(bytes);
        options.onProgress(bytes, expected);
      },
    }).catch((error: unknown) => {
      body.destroy();
      throw error;
    });
    try {
      hasher = startFileHasher(partPath, offset, signal);
      options.onProgress(offset, expected);
      await Promise.race([
        eachChunk(body, out, (chunk) => {
          timer.refresh();
          received += chunk.length;
        }),
        out.failed,
      ]);
    } finally {
      body.destroy();
      await out.close();
    }
    const bytes = out.length;
    if (expected !== null && bytes !== expected) {
      throw new DownloadFailure('network', `The connection closed at byte ${bytes} of ${expected}.`, true);
    }
    return { total: bytes, sha256: await hasher.finish(bytes), received };
  } catch (error) {
    if (signal.aborted) throw new AttemptStopped('stopped');
    if (watchdog.signal.aborted) throw stalled();
    throw toDownloadFailure(error, url);
  } finally {
    clearTimeout(timer);
    hasher?.stop();
  }
}

/**
 * Feeds every chunk of `body` to `onChunk` and `out`, pausing the body while `out` is full;
 * resolves at the body's end. 'data' events rather than `for await`: the async iterator reads
 * whatever is buffered as one concatenated Buffer, a copy and an allocation per read.
 */
function eachChunk(body: Readable, out: PartWriter, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const resume = () => body.resume();
    body.on('data', (chunk: Buffer) => {
      onChunk(chunk);
      if (!out.write(chunk)) {
        body.pause();
        out.onDrain(resume);
      }
    });
    body.once('end', resolve);
    body.once('error', reject);
  });
}

/** The sha256 of the first `length` bytes of a part that is already whole. */
async function hashWhole(path: string, length: number, signal: AbortSignal, url: string): Promise<string> {
  try {
    return await startFileHasher(path, length, signal).finish(length);
  } catch (error) {
    if (signal.aborted) throw new AttemptStopped('stopped');
    throw toDownloadFailure(error, url);
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
