import { createStore } from 'zustand/vanilla';
import type { AttachmentRef } from '../../../shared/domain';
import { MAX_ATTACHMENTS_PER_MESSAGE, describeNotAnImage, formatBytes, sniffImageType } from '../../../shared/image-type';
import { toBase64 } from '../images/base64';
import type { PrepareImage } from '../images/prepare-image';
import type { ContractClient } from '../ipc';
import type { PreviewUrls } from './attachment-previews';
import { describeError } from './loadable';

/**
 * One file the user dropped or pasted into the composer. Nothing is dropped silently: a file that
 * is not an image, or that the core refused, stays here as an error until the user removes it.
 */
export type DraftAttachment =
  | { key: string; name: string; status: 'preparing' }
  | { key: string; name: string; status: 'ready'; ref: AttachmentRef; previewUrl: string; width: number; height: number; note: string | null }
  | { key: string; name: string; status: 'error'; error: string };

/** What the composer needs from a dropped or pasted file (a DOM File fits). */
export interface IncomingFile {
  name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface ComposerAttachmentsState {
  drafts: DraftAttachment[];
  /** Checks each file by its bytes, downscales it if needed and stores it in the core. */
  add(files: readonly IncomingFile[]): Promise<void>;
  remove(key: string): void;
  /** After a send: the refs went with the message; errors are cleared with them. */
  clear(): void;
}

export interface ComposerAttachmentsDeps {
  client: ContractClient;
  prepare: PrepareImage;
  urls: PreviewUrls;
  /** Hands a stored image's preview URL on, so the sent message shows it without a fetch. */
  onStored?: (ref: AttachmentRef, previewUrl: string) => void;
}

let seq = 0;

/** The refs of the drafts that are ready to send. */
export const readyRefs = (drafts: readonly DraftAttachment[]): AttachmentRef[] =>
  drafts.flatMap((d) => (d.status === 'ready' ? [d.ref] : []));

export function createComposerAttachmentsStore(deps: ComposerAttachmentsDeps) {
  return createStore<ComposerAttachmentsState>()((set, get) => {
    const replace = (key: string, next: DraftAttachment) =>
      set((s) => ({ drafts: s.drafts.map((d) => (d.key === key ? next : d)) }));
    const present = (key: string) => get().drafts.some((d) => d.key === key);

    const prepareOne = async (file: IncomingFile, key: string) => {
      const fail = (error: string) => present(key) && replace(key, { key, name: file.name, status: 'error', error });
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await file.arrayBuffer());
      } catch (error) {
        return fail(`${file.name} could not be read: ${error instanceof Error ? error.message : String(error)}`);
      }
      const mediaType = sniffImageType(bytes);
      if (mediaType === null) return fail(describeNotAnImage(file.name));
      let prepared;
      try {
        prepared = await deps.prepare(bytes, mediaType, file.name);
      } catch (error) {
        return fail(error instanceof Error ? error.message : String(error));
      }
      if (!present(key)) return; // removed while it was being prepared
      const result = await deps.client.request('attachments.put', { data: toBase64(prepared.bytes), name: file.name });
      if (!result.ok) return fail(describeError(result.error));
      if (!present(key)) return;
      const previewUrl = deps.urls.create(prepared.bytes, prepared.mediaType);
      deps.onStored?.(result.data, previewUrl);
      const note =
        prepared.original === null
          ? null
          : `downscaled from ${prepared.original.width}×${prepared.original.height} (${formatBytes(prepared.original.size)}) to ${prepared.width}×${prepared.height} (${formatBytes(result.data.size)})`;
      replace(key, { key, name: file.name, status: 'ready', ref: result.data, previewUrl, width: prepared.width, height: prepared.height, note });
    };

    return {
      drafts: [],
      async add(files) {
        const room = MAX_ATTACHMENTS_PER_MESSAGE - get().drafts.filter((d) => d.status !== 'error').length;
        const accepted = files.slice(0, Math.max(0, room)).map((file) => ({ file, key: `draft-${++seq}` }));
        const refused: DraftAttachment[] = files.slice(accepted.length).map((file) => ({
          key: `draft-${++seq}`,
          name: file.name,
          status: 'error',
          error: `${file.name} was not added: one message takes at most ${MAX_ATTACHMENTS_PER_MESSAGE} images`,
        }));
        set((s) => ({
          drafts: [...s.drafts, ...accepted.map(({ file, key }): DraftAttachment => ({ key, name: file.name, status: 'preparing' })), ...refused],
        }));
        await Promise.all(accepted.map(({ file, key }) => prepareOne(file, key)));
      },
      remove(key) {
        set((s) => ({ drafts: s.drafts.filter((d) => d.key !== key) }));
      },
      clear() {
        set({ drafts: [] });
      },
    };
  });
}

export type ComposerAttachmentsStore = ReturnType<typeof createComposerAttachmentsStore>;
