import { type AttachmentRef } from '../../shared/domain';
import { type ImagePart } from '../../shared/llm';
import { ContractFailure } from '../api/contract-failure';
import { AttachmentError, type AttachmentStore } from '../attachments/attachment-store';

export interface AttachmentsService {
  /** Stores base64 bytes (checked by magic bytes and size) and returns their ref. */
  put(input: { data: string; name?: string | undefined }): Promise<AttachmentRef>;
  /** A stored attachment with its bytes as base64. */
  get(id: string): Promise<AttachmentRef & { data: string }>;
  /** The refs of stored attachments, in order; NOT_FOUND names the first one missing. */
  describe(ids: readonly string[]): Promise<AttachmentRef[]>;
  /** A stored attachment as a model-spec image part (base64). */
  imagePart(ref: AttachmentRef): Promise<ImagePart>;
}

export function createAttachmentsService(store: AttachmentStore): AttachmentsService {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AttachmentError) throw new ContractFailure(error.code, error.message);
      throw error;
    }
  };
  return {
    put: ({ data, name }) => guard(() => store.put(Buffer.from(data, 'base64'), name)),
    get: (id) =>
      guard(async () => {
        const { bytes, ...ref } = await store.get(id);
        return { ...ref, data: bytes.toString('base64') };
      }),
    describe: (ids) => guard(() => Promise.all(ids.map((id) => store.describe(id)))),
    imagePart: (ref) =>
      guard(async () => {
        const { bytes, mediaType } = await store.get(ref.id);
        return { type: 'image', mediaType, data: bytes.toString('base64') };
      }),
  };
}
