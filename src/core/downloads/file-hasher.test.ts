import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFileHasher } from './file-hasher';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-hasher-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe('startFileHasher', () => {
  it('hashes a file as it grows, across several of its read blocks, the bytes already there included', async () => {
    const path = join(dir, 'part');
    const prefix = bytes(1000, 1);
    await writeFile(path, prefix);
    const hasher = startFileHasher(path, prefix.length);
    const pieces = [prefix];
    let length = prefix.length;
    for (let i = 0; i < 6; i++) {
      const piece = bytes(3 * 1024 * 1024 + 1000 * i + 7, i + 2); // 18 MiB in all, in pieces that straddle the worker's 1 MiB blocks
      await appendFile(path, piece);
      pieces.push(piece);
      length += piece.length;
      hasher.advance(length);
    }
    expect(await hasher.finish(length)).toBe(sha(Buffer.concat(pieces)));
  });

  it('hashes only what it was told is written, not bytes past it', async () => {
    const path = join(dir, 'part');
    const whole = bytes(5000, 3);
    await writeFile(path, whole);
    expect(await startFileHasher(path).finish(4000)).toBe(sha(whole.subarray(0, 4000)));
  });

  it('hashes an empty file', async () => {
    const path = join(dir, 'empty');
    await writeFile(path, '');
    expect(await startFileHasher(path).finish(0)).toBe(sha(Buffer.alloc(0)));
  });

  it('rejects when the file is shorter than it was told', async () => {
    const path = join(dir, 'short');
    await writeFile(path, bytes(100, 4));
    await expect(startFileHasher(path).finish(200)).rejects.toThrow(/shorter/);
  });

  it('rejects for a file that is not there', async () => {
    await expect(startFileHasher(join(dir, 'gone')).finish(10)).rejects.toThrow(/gone/);
  });

  it('stops when its signal aborts: finish rejects instead of waiting for bytes that will not come', async () => {
    const path = join(dir, 'part');
    await writeFile(path, bytes(10, 6));
    const controller = new AbortController();
    const hasher = startFileHasher(path, 10, controller.signal);
    const digest = hasher.finish(1 << 20); // more than will ever be written
    controller.abort();
    await expect(digest).rejects.toThrow(/ended/);
  });

  it('stops at once when told to, even while it waits for bytes', async () => {
    const path = join(dir, 'part');
    await writeFile(path, bytes(10, 5));
    const hasher = startFileHasher(path, 10);
    hasher.stop();
    hasher.stop(); // twice is harmless
    const settled = await Promise.race([hasher.finish(10).then(() => 'digest', () => 'rejected'), new Promise((resolve) => setTimeout(() => resolve('pending'), 200))]);
    expect(['rejected', 'pending']).toContain(settled);
  });
});
