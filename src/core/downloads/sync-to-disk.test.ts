import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncToDisk } from './sync-to-disk';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-sync-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('syncToDisk', () => {
  it('flushes a file and its folder, leaving the bytes as they were', async () => {
    const path = join(dir, 'model.gguf');
    await writeFile(path, 'GGUF and some bytes');
    await expect(syncToDisk(path)).resolves.toBeUndefined();
    expect(await readFile(path, 'utf8')).toBe('GGUF and some bytes');
  });

  it('rejects for a file that is not there, naming it', async () => {
    await expect(syncToDisk(join(dir, 'gone.gguf'))).rejects.toThrow(/gone\.gguf/);
  });
});
