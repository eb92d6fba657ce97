import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodePng } from '../../../test/images/encode-png';
import { createAttachmentStore } from './attachment-store';
import { sweepAttachmentFiles } from './attachment-sweep';

const DAY = 24 * 60 * 60 * 1000;
let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'sb-sweep-')), 'attachments');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

/** Stores a distinct image and dates its file `ageMs` back. */
async function stored(n: number, ageMs: number): Promise<string> {
  const { id } = await createAttachmentStore(dir).put(encodePng(n, 1));
  await age(id, ageMs);
  return id;
}
async function age(name: string, ageMs: number): Promise<void> {
  const when = new Date(Date.now() - ageMs);
  await utimes(join(dir, name), when, when);
}
const sorted = async () => (await readdir(dir)).sort();
const cutoff = () => Date.now() - DAY;

describe('sweepAttachmentFiles', () => {
  it('removes old files nothing keeps; keeps referenced ones, fresh ones and files that are not its own', async () => {
    const orphan = await stored(1, 2 * DAY);
    const referenced = await stored(2, 2 * DAY);
    const fresh = await stored(3, 60_000); // a draft's image, not sent yet
    await writeFile(join(dir, 'notes.txt'), 'not ours');
    await age('notes.txt', 10 * DAY);

    const result = await sweepAttachmentFiles(dir, { keep: (id) => id === referenced, keepModifiedSince: cutoff() });
    expect(result).toEqual({ deleted: [orphan], leftovers: 0, failures: [] });
    expect(await sorted()).toEqual([fresh, referenced, 'notes.txt'].sort());
  });

  it('removes leftovers of an interrupted write, once they are old, and puts back a file a crashed sweep moved aside', async () => {
    const kept = await stored(1, 2 * DAY);
    const oldTemp = `.${'a'.repeat(64)}.0123ab.tmp`;
    const liveTemp = `.${'b'.repeat(64)}.4567cd.tmp`; // a put still writing
    const movedAside = `.${kept}.89ef01.sweep`;
    await writeFile(join(dir, oldTemp), 'half');
    await age(oldTemp, 2 * DAY);
    await writeFile(join(dir, liveTemp), 'half');
    const bytes = await readFile(join(dir, kept));
    await rm(join(dir, kept));
    await writeFile(join(dir, movedAside), bytes);
    await age(movedAside, 2 * DAY);

    const result = await sweepAttachmentFiles(dir, { keep: (id) => id === kept, keepModifiedSince: cutoff() });
    expect(result).toMatchObject({ deleted: [], leftovers: 2, failures: [] });
    expect(await sorted()).toEqual([liveTemp, kept].sort());
    expect(await readFile(join(dir, kept))).toEqual(bytes);
  });

  it('moves a file back when it is kept after all by the time it was moved aside', async () => {
    const id = await stored(1, 2 * DAY);
    let asked = 0;
    // The first answer comes before the move; a release lands while the file is aside.
    const result = await sweepAttachmentFiles(dir, { keep: () => asked++ > 0, keepModifiedSince: cutoff() });
    expect(result.deleted).toEqual([]);
    expect(await sorted()).toEqual([id]);
  });

  it('keeps a file whose image was put again since (put refreshes its time)', async () => {
    const store = createAttachmentStore(dir);
    const png = encodePng(5, 1);
    const id = await stored(5, 3 * DAY);
    expect((await store.put(png)).id).toBe(id); // the same bytes, from a new draft
    expect((await sweepAttachmentFiles(dir, { keep: () => false, keepModifiedSince: cutoff() })).deleted).toEqual([]);

    await age(id, 3 * DAY);
    await store.touch([id, 'c'.repeat(64)]); // released by a truncation; a missing id is skipped
    expect((await sweepAttachmentFiles(dir, { keep: () => false, keepModifiedSince: cutoff() })).deleted).toEqual([]);
    expect(await sorted()).toEqual([id]);
  });

  it('does nothing when no attachment was ever stored', async () => {
    expect(await sweepAttachmentFiles(dir, { keep: () => false, keepModifiedSince: cutoff() })).toEqual({ deleted: [], leftovers: 0, failures: [] });
    await mkdir(dir, { recursive: true });
    expect((await sweepAttachmentFiles(dir, { keep: () => false, keepModifiedSince: cutoff() })).deleted).toEqual([]);
  });
});
