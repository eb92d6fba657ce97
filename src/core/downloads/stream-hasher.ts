import { Worker } from 'node:worker_threads';

/**
 * sha256 of a download, computed on a worker thread so hashing (about as slow as loopback
 * transfer on one core) runs beside the network and disk work instead of after it. Chunks are
 * batched (about 1 MiB per message: one copy, then moved to the worker); more than 32 MiB waiting
 * makes `update` wait, so a slow hash never buffers a whole file in memory. The worker is plain JS
 * (`eval`), so it runs the same from sources, tests and the bundled app.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
let hash = createHash('sha256');
parentPort.on('message', (m) => {
  try {
    if (m.type === 'prefix') {
      hash = createHash('sha256');
      if (m.length > 0) {
        const fd = openSync(m.path, 'r');
        const block = Buffer.allocUnsafe(8 * 1024 * 1024);
        try {
          for (let at = 0; at < m.length; ) {
            const n = readSync(fd, block, 0, Math.min(block.length, m.length - at), at);
            if (n === 0) throw new Error('the partial file is shorter than expected');
            hash.update(block.subarray(0, n));
            at += n;
          }
        } finally {
          closeSync(fd);
        }
      }
      parentPort.postMessage({ type: 'ack', bytes: 0 });
    } else if (m.type === 'data') {
      const data = Buffer.from(m.data, m.offset, m.length);
      hash.update(data);
      parentPort.postMessage({ type: 'ack', bytes: m.length });
    } else if (m.type === 'digest') {
      parentPort.postMessage({ type: 'digest', hex: hash.digest('hex') });
      hash = createHash('sha256');
    }
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: error && error.message ? error.message : String(error) });
  }
});
`;

const BATCH = 1 << 20;
const MAX_IN_FLIGHT = 32 << 20;

type WorkerReply = { type: 'ack'; bytes: number } | { type: 'digest'; hex: string } | { type: 'error'; message: string };

export interface StreamHasher {
  /** Starts over from the first `length` bytes of the file at `path` (0: from nothing). */
  prefix(path: string, length: number): Promise<void>;
  /** Adds bytes; resolves at once unless the worker is far behind. */
  update(chunk: Buffer): Promise<void> | undefined;
  digest(): Promise<string>;
  close(): Promise<void>;
}

export function createStreamHasher(): StreamHasher {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref();
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let inFlight = 0;
  let failure: Error | undefined;
  const waiters: Array<{ when: (r: WorkerReply) => boolean; resolve: (r: WorkerReply) => void; reject: (e: Error) => void }> = [];

  const settle = (reply: WorkerReply) => {
    if (reply.type === 'ack') inFlight -= reply.bytes;
    if (reply.type === 'error') failure = new Error(`hashing the download failed: ${reply.message}`);
    for (const waiter of [...waiters]) {
      if (failure) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.reject(failure);
      } else if (waiter.when(reply)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(reply);
      }
    }
  };
  worker.on('message', (reply: WorkerReply) => settle(reply));
  worker.on('error', (error) => settle({ type: 'error', message: error.message }));

  const wait = (when: (r: WorkerReply) => boolean) =>
    new Promise<WorkerReply>((resolve, reject) => {
      if (failure) return reject(failure);
      waiters.push({ when, resolve, reject });
    });

  const flush = () => {
    if (pendingBytes === 0) return;
    // Always a fresh copy: the chunks may still be queued for the file write, so theirs can't move.
    let data: Uint8Array = Buffer.concat(pending, pendingBytes);
    if (data.byteOffset !== 0 || data.buffer.byteLength !== data.length) {
      const own = new Uint8Array(data.length);
      own.set(data);
      data = own;
    }
    pending = [];
    inFlight += pendingBytes;
    pendingBytes = 0;
    worker.postMessage({ type: 'data', data: data.buffer, offset: 0, length: data.length }, [data.buffer as ArrayBuffer]);
  };

  return {
    async prefix(path, length) {
      pending = [];
      pendingBytes = 0;
      const acked = wait((r) => r.type === 'ack' && r.bytes === 0);
      worker.postMessage({ type: 'prefix', path, length });
      await acked;
    },
    update(chunk) {
      if (failure) return Promise.reject(failure);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= BATCH) flush();
      if (inFlight <= MAX_IN_FLIGHT) return undefined;
      return wait(() => inFlight <= MAX_IN_FLIGHT).then(() => undefined);
    },
    async digest() {
      flush();
      const reply = await (() => {
        const answer = wait((r) => r.type === 'digest');
        worker.postMessage({ type: 'digest' });
        return answer;
      })();
      return (reply as { hex: string }).hex;
    },
    async close() {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error('the hasher was closed'));
      await worker.terminate();
    },
  };
}
