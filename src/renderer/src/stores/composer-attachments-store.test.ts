import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract';
import type { AttachmentRef } from '../../../shared/domain';
import { toBase64 } from '../images/base64';
import type { PrepareImage } from '../images/prepare-image';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { createComposerAttachmentsStore, readyRefs } from './composer-attachments-store';

/** The PNG signature and a little more: all the sniffing looks at (decoding is `prepare`'s job, faked here). */
const encodePng = (_width: number, _height: number) => Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82);
const file = (name: string, bytes: Uint8Array) => ({ name, arrayBuffer: async () => new Uint8Array(bytes).buffer });
const REF: AttachmentRef = { id: 'a'.repeat(64), mediaType: 'image/png', size: 10 };

function setup(options: { prepare?: PrepareImage; put?: (input: unknown) => Result<unknown> } = {}) {
  const fake = createFakeTransport({ 'attachments.put': options.put ?? (() => ({ ok: true, data: REF })) });
  const stored: [AttachmentRef, string][] = [];
  const store = createComposerAttachmentsStore({
    client: createClient(fake.transport),
    prepare: options.prepare ?? (async (bytes, mediaType) => ({ bytes, mediaType, width: 4, height: 3, original: null })),
    urls: { create: (_bytes, type) => `blob:${type}` },
    onStored: (ref, url) => stored.push([ref, url]),
  });
  return { fake, store, stored };
}

describe('composer attachments', () => {
  it('checks a dropped image by its bytes, stores it in the core, and shows it ready with a preview', async () => {
    const t = setup();
    const png = encodePng(4, 3);
    await t.store.getState().add([file('photo.jpg', png)]); // the name says JPEG; the bytes say PNG
    const [draft] = t.store.getState().drafts;
    expect(draft).toMatchObject({ status: 'ready', name: 'photo.jpg', ref: REF, previewUrl: 'blob:image/png', note: null });
    expect(t.fake.requests[0]).toEqual({ route: 'attachments.put', input: { data: toBase64(png), name: 'photo.jpg' } });
    expect(t.stored).toEqual([[REF, 'blob:image/png']]);
    expect(readyRefs(t.store.getState().drafts)).toEqual([REF]);
  });

  it('refuses a text file named .png with a clear message, without asking the core', async () => {
    const t = setup();
    await t.store.getState().add([file('notes.png', new TextEncoder().encode('just notes'))]);
    expect(t.store.getState().drafts).toEqual([
      { key: expect.any(String), name: 'notes.png', status: 'error', error: expect.stringMatching(/^notes\.png is not an image Switchboard can send/) },
    ]);
    expect(t.fake.requests).toEqual([]);
    expect(readyRefs(t.store.getState().drafts)).toEqual([]);
    t.store.getState().remove(t.store.getState().drafts[0]!.key);
    expect(t.store.getState().drafts).toEqual([]);
  });

  it('says when an image was downscaled, and shows the core’s refusal', async () => {
    const downscaled = setup({
      prepare: async (bytes, mediaType) => ({ bytes, mediaType, width: 2048, height: 1536, original: { width: 4096, height: 3072, size: 12 * 1024 * 1024 } }),
    });
    await downscaled.store.getState().add([file('big.png', encodePng(2, 2))]);
    expect(downscaled.store.getState().drafts[0]).toMatchObject({ status: 'ready', note: 'downscaled from 4096×3072 (12.0 MB) to 2048×1536 (10 B)' });

    const refused = setup({ put: () => ({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'x.png is too large' } }) });
    await refused.store.getState().add([file('x.png', encodePng(2, 2))]);
    expect(refused.store.getState().drafts[0]).toMatchObject({ status: 'error', error: 'x.png is too large' });
  });

  it('shows a prepare failure (a damaged image) as an error', async () => {
    const t = setup({ prepare: async () => Promise.reject(new Error('broken.png could not be read as an image (the file may be damaged)')) });
    await t.store.getState().add([file('broken.png', encodePng(2, 2))]);
    expect(t.store.getState().drafts[0]).toMatchObject({ status: 'error', error: /damaged/ });
  });

  it('takes at most 8 images a message and says so for the rest', async () => {
    const t = setup();
    const png = encodePng(1, 1);
    await t.store.getState().add(Array.from({ length: 10 }, (_, i) => file(`p${i}.png`, png)));
    const drafts = t.store.getState().drafts;
    expect(drafts.filter((d) => d.status === 'ready')).toHaveLength(8);
    expect(drafts.filter((d) => d.status === 'error').map((d) => d.name)).toEqual(['p8.png', 'p9.png']);
    t.store.getState().clear();
    expect(t.store.getState().drafts).toEqual([]);
  });

  it('forgets a draft removed while it was being stored', async () => {
    let release: () => void = () => {};
    const t = setup({ prepare: (bytes, mediaType) => new Promise((resolve) => (release = () => resolve({ bytes, mediaType, width: 1, height: 1, original: null }))) });
    const adding = t.store.getState().add([file('a.png', encodePng(1, 1))]);
    await new Promise((r) => setTimeout(r, 0));
    expect(t.store.getState().drafts[0]?.status).toBe('preparing');
    t.store.getState().remove(t.store.getState().drafts[0]!.key);
    release();
    await adding;
    expect(t.store.getState().drafts).toEqual([]);
    expect(t.fake.requests).toEqual([]);
  });
});
