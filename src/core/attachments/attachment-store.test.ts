import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodePng } from '../../../test/images/encode-png';
import { AttachmentError, createAttachmentStore } from './attachment-store';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sb-attachments-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function refusal(work: Promise<unknown>): Promise<AttachmentError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AttachmentError);
  return error as AttachmentError;
}

describe('the attachment store', () => {
  it('stores an image under the sha256 of its bytes, once, and reads it back', async () => {
    const dir = join(root, 'attachments');
    const store = createAttachmentStore(dir);
    const png = encodePng(3, 2);
    const ref = await store.put(png, 'dot.png');
    expect(ref).toEqual({ id: sha256(png), mediaType: 'image/png', size: png.length });
    expect(await readFile(join(dir, ref.id))).toEqual(png);

    expect(await store.put(Buffer.from(png), 'again.png')).toEqual(ref);
    expect(await readdir(dir)).toEqual([ref.id]); // no temp files left, one file for both

    const stored = await store.get(ref.id);
    expect(stored.bytes).toEqual(png);
    expect(stored.mediaType).toBe('image/png');
    expect(await store.describe(ref.id)).toEqual(ref);
  });

  it('refuses a text file named .png by its bytes, and writes nothing', async () => {
    const store = createAttachmentStore(join(root, 'attachments'));
    const error = await refusal(store.put(new TextEncoder().encode('hello, I am text\n'), 'notes.png'));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/^notes\.png is not an image Switchboard can send/);
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses empty and oversized files', async () => {
    const store = createAttachmentStore(join(root, 'a'), { maxBytes: 100 });
    expect((await refusal(store.put(new Uint8Array(), 'empty.png'))).message).toBe('empty.png is empty');
    const big = encodePng(40, 40);
    expect(big.length).toBeGreaterThan(100);
    expect((await refusal(store.put(big, 'big.png'))).message).toMatch(/^big\.png is too large \([\d.]+ KB; the limit is 100 B/);
  });

  it('refuses ids that are not hashes (no path ever comes from input)', async () => {
    const store = createAttachmentStore(join(root, 'attachments'));
    const error = await refusal(store.get('../switchboard.db'));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/not an attachment id/);
  });

  it('says an attachment is missing, and refuses one changed on disk', async () => {
    const dir = join(root, 'attachments');
    const store = createAttachmentStore(dir);
    const missing = await refusal(store.get('a'.repeat(64)));
    expect(missing.code).toBe('NOT_FOUND');

    const ref = await store.put(encodePng(1, 1));
    await writeFile(join(dir, ref.id), 'tampered');
    const changed = await refusal(store.get(ref.id));
    expect(changed.message).toMatch(/changed on disk/);
  });
});
