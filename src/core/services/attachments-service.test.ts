import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodePng } from '../../../test/images/encode-png';
import { createAttachmentStore } from '../attachments/attachment-store';
import { createAttachmentsService } from './attachments-service';

const DAY = 24 * 60 * 60 * 1000;
let root: string;
let dir: string;
let logs: string[];
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sb-attachments-service-'));
  dir = join(root, 'attachments');
  logs = [];
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const old = async (id: string) => {
  const when = new Date(Date.now() - 2 * DAY);
  await utimes(join(dir, id), when, when);
};

describe('the attachments service sweep', () => {
  it('removes what no message refers to once the grace period is over, and holds what this process put or released', async () => {
    const inUse = new Set<string>();
    const service = createAttachmentsService(createAttachmentStore(dir), { inUse: () => inUse, log: (_l, m) => logs.push(m) });
    const put = async (n: number) => (await service.put({ data: encodePng(n, 1).toString('base64') })).id;
    const referenced = await put(1);
    const draft = await put(2);
    const released = await put(3);
    inUse.add(referenced);
    // Files from an earlier run: one referenced, one not.
    const store = createAttachmentStore(dir);
    const earlierKept = (await store.put(encodePng(4, 1))).id;
    const earlierOrphan = (await store.put(encodePng(5, 1))).id;
    inUse.add(earlierKept);
    for (const id of [referenced, draft, released, earlierKept, earlierOrphan]) await old(id);

    expect(await service.sweep()).toEqual({ deleted: [earlierOrphan], leftovers: 0, failures: [] });
    expect(logs).toEqual([expect.stringMatching(/removed 1 file\(s\) no message refers to/)]);
    await service.release([released]);
    expect((await readdir(dir)).sort()).toEqual([referenced, draft, released, earlierKept].sort());
  });

  it('after the grace period (a restart, or time passing), releases and drafts go too; sweeps run one at a time', async () => {
    let now = Date.now();
    const service = createAttachmentsService(createAttachmentStore(dir), { inUse: () => new Set(), log: () => undefined, clock: () => now, graceMs: 1000 });
    const id = (await service.put({ data: encodePng(6, 1).toString('base64') })).id;
    await writeFile(join(dir, 'README'), 'not an attachment');
    await old(id);
    expect((await service.sweep()).deleted).toEqual([]); // held: put 0 ms ago by this clock
    now += 1001;
    const [a, b] = await Promise.all([service.sweep(), service.sweep()]);
    expect([...a.deleted, ...b.deleted]).toEqual([id]);
    await service.idle();
    expect(await readdir(dir)).toEqual(['README']);
  });

  it('does nothing without a cleanup (a host with no messages)', async () => {
    const service = createAttachmentsService(createAttachmentStore(dir));
    const id = (await service.put({ data: encodePng(7, 1).toString('base64') })).id;
    await old(id);
    expect(await service.sweep()).toEqual({ deleted: [], leftovers: 0, failures: [] });
  });
});
