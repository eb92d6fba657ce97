import { Worker } from 'node:worker_threads';

/**
 * A sha256 of a file that is still being written, computed on a worker thread that reads the file
 * back (from the page cache) behind the writer. The receiving thread only says how far the file is
 * written; no chunk is copied or posted to the worker, and the hash no longer competes with the
 * socket and the writes for the receiving thread (on two cores it runs beside them).
 */
export interface FileHasher {
  /** The file is written up to `bytes`: those bytes are final and may be hashed. */
  advance(bytes: number): void;
  /** The file is complete at `length` bytes: resolves with its sha256 (hex) once all are hashed. */
  finish(length: number): Promise<string>;
  /** Gives up (an aborted or failed attempt): the worker ends and `finish` never settles. */
  stop(): void;
}

/**
 * Slots of the shared state: how far the file is written, its final length (-1 until known), a
 * stop flag, and a counter bumped on every change (what the worker sleeps on, so no update is missed).
 */
const WRITTEN = 0;
const LENGTH = 1;
const STOP = 2;
const CHANGES = 3;

/**
 * The worker reads this much at a time, and waits for a whole block unless the file is complete.
 * Small enough that the bytes are still in the CPU's cache when it reads them (4 MiB blocks cost
 * the worker about a quarter more), big enough to wake it only every 1 MiB.
 */
const BLOCK = 1 << 20;

/**
 * Plain CommonJS evaluated as the worker (`eval: true`): no worker file to locate, so it runs the
 * same from the sources (tsx, vitest) and from the bundled main process.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { path, shared, block } = workerData;
const state = new BigInt64Array(shared);
const hash = createHash('sha256');
const buffer = Buffer.allocUnsafe(block);
const fd = openSync(path, 'r');
try {
  let position = 0;
  for (;;) {
    const seen = Atomics.load(state, ${CHANGES});
    if (Atomics.load(state, ${STOP}) !== 0n) break;
    const written = Number(Atomics.load(state, ${WRITTEN}));
    const length = Number(Atomics.load(state, ${LENGTH}));
    const complete = length >= 0 && written >= length;
    const ready = written - position;
    if (ready >= block || (complete && ready > 0)) {
      const read = readSync(fd, buffer, 0, Math.min(block, ready), position);
      if (read === 0) throw new Error(path + ' is shorter than the ' + written + ' bytes written to it');
      hash.update(buffer.subarray(0, read));
      position += read;
    } else if (complete) {
      parentPort.postMessage({ sha256: hash.digest('hex') });
      break;
    } else {
      Atomics.wait(state, ${CHANGES}, seen);
    }
  }
} finally {
  closeSync(fd);
}
`;

/**
 * Starts hashing `path` from its first byte: the first `written` bytes are final already,
 * `advance` says how far more are. An abort of `signal` stops it (`finish` then rejects).
 */
export function startFileHasher(path: string, written = 0, signal?: AbortSignal): FileHasher {
  const shared = new SharedArrayBuffer(4 * BigInt64Array.BYTES_PER_ELEMENT);
  const state = new BigInt64Array(shared);
  state[WRITTEN] = BigInt(written);
  state[LENGTH] = -1n;
  const set = (slot: number, value: number) => {
    Atomics.store(state, slot, BigInt(value));
    Atomics.add(state, CHANGES, 1n);
    Atomics.notify(state, CHANGES);
  };
  // The worker waits for whole blocks: waking it for less would only put it back to sleep.
  let told = written;
  // No execArgv: the worker is plain CommonJS and needs none of the parent's loaders (tsx, vitest).
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { path, shared, block: BLOCK } });
  // Until the digest is awaited the worker must not keep a process alive (a forgotten `stop`).
  worker.unref();
  const digest = new Promise<string>((resolve, reject) => {
    worker.once('message', (message: { sha256: string }) => resolve(message.sha256));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the hashing thread for ${path} ended (${code}) before its digest`)));
  });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    signal?.removeEventListener('abort', stop);
    set(STOP, 1);
    void worker.terminate();
  };
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  // Handled here: a stopped hasher's rejection matters only to whoever awaits `finish`.
  void digest.catch(() => undefined).finally(() => signal?.removeEventListener('abort', stop));
  return {
    advance(bytes) {
      if (bytes - told < BLOCK) return;
      told = bytes;
      set(WRITTEN, bytes);
    },
    finish(length) {
      worker.ref();
      set(WRITTEN, length);
      set(LENGTH, length);
      return digest;
    },
    stop,
  };
}
