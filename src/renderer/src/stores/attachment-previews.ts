import { createStore } from 'zustand/vanilla';
import type { AttachmentRef } from '../../../shared/domain';
import { fromBase64 } from '../images/base64';
import type { ContractClient } from '../ipc';
import { describeError } from './loadable';

export type Preview = { status: 'loading' } | { status: 'ready'; url: string } | { status: 'error'; error: string };

export interface AttachmentPreviewsState {
  /** By attachment id (its sha256): the same image in several messages is fetched once. */
  previews: Record<string, Preview>;
  /** Fetches an attachment's bytes for showing, once. */
  load(ref: AttachmentRef): void;
  /** A URL the composer already made for an image it just stored: no fetch needed. */
  seed(id: string, url: string): void;
}

export interface PreviewUrls {
  create(bytes: Uint8Array, mediaType: string): string;
}

/** Object URLs, which the page's CSP allows (blob:), rather than megabytes of data: URLs in the DOM. */
export const objectUrls: PreviewUrls = {
  create: (bytes, mediaType) => URL.createObjectURL(new Blob([bytes as BlobPart], { type: mediaType })),
};

export function createAttachmentPreviewsStore(deps: { client: ContractClient; urls?: PreviewUrls }) {
  const urls = deps.urls ?? objectUrls;
  return createStore<AttachmentPreviewsState>()((set, get) => ({
    previews: {},
    load(ref) {
      if (get().previews[ref.id] !== undefined) return;
      set((s) => ({ previews: { ...s.previews, [ref.id]: { status: 'loading' } } }));
      void deps.client.request('attachments.get', { id: ref.id }).then((result) => {
        const preview: Preview = result.ok
          ? { status: 'ready', url: urls.create(fromBase64(result.data.data), result.data.mediaType) }
          : { status: 'error', error: describeError(result.error) };
        set((s) => ({ previews: { ...s.previews, [ref.id]: preview } }));
      });
    },
    seed(id, url) {
      if (get().previews[id]?.status === 'ready') return;
      set((s) => ({ previews: { ...s.previews, [id]: { status: 'ready', url } } }));
    },
  }));
}

export type AttachmentPreviewsStore = ReturnType<typeof createAttachmentPreviewsStore>;
