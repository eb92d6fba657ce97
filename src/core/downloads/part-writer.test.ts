import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartWriter } from './part-writer';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PartWriter', () => {
  it('appends after what is there, reports how far the file is written, and says when it is full', async () => {
    const path = join(dir, 'part');
    await writeFile(path, 'head:');
    const reported: number[] = [];
    const out = await PartWriter.open(path, { append: true, start: 5, limit: 8, onWritten: (n) => reported.push(n) });
    expect(out.write(Buffer.from('abc'))).toBe(true); // 3 of 8 queued or in flight
    expect(out.write(Buffer.from('defgh'))).toBe(false); // 8: full until a write completes
    const drained = new Promise<void>((resolve) => out.onDrain(resolve));
    await drained;
    out.write(Buffer.from('ij'));
    await out.close();
    expect(await readFile(path, 'utf8')).toBe('head:abcdefghij');
    expect(out.length).toBe(15);
    expect(reported.at(-1)).toBe(15);
    expect(reported).toEqual([...reported].sort((a, b) => a - b));
  });

  it('truncates when not appending', async () => {
    const path = join(dir, 'part');
    await writeFile(path, 'old bytes that go');
    const out = await PartWriter.open(path, { append: false, start: 17, limit: 1024, onWritten: () => undefined });
    out.write(Buffer.from('new'));
    await out.close();
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(out.length).toBe(3);
  });

  it('keeps many chunks in order when they pile up behind a write', async () => {
    const path = join(dir, 'part');
    const out = await PartWriter.open(path, { append: false, start: 0, limit: 1 << 20, onWritten: () => undefined });
    const expected: string[] = [];
    for (let i = 0; i < 500; i++) {
      const line = `line ${i}\n`;
      expected.push(line);
      out.write(Buffer.from(line));
    }
    await out.close();
    expect(await readFile(path, 'utf8')).toBe(expected.join(''));
  });

  // /dev/full answers every write with ENOSPC: a disk that fills up mid-download.
  it.skipIf(!existsSync('/dev/full'))('fails `failed` and `close` when a write fails, and takes no more chunks', async () => {
    const out = await PartWriter.open('/dev/full', { append: false, start: 0, limit: 1024, onWritten: () => undefined });
    out.write(Buffer.from('x'));
    await expect(out.failed).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(out.write(Buffer.from('y'))).toBe(false);
    await expect(out.close()).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});
