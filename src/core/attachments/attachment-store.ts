import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { type AttachmentRef } from '../../shared/domain';
import {
  ATTACHMENT_ID_PATTERN,
  MAX_ATTACHMENT_BYTES,
  describeNotAnImage,
  describeTooLarge,
  sniffImageType,
} from '../../shared/image-type';

/** Why an attachment was refused or can't be read; `code` maps onto the contract's error codes. */
export class AttachmentError extends Error {
  override readonly name = 'AttachmentError';
  constructor(
    readonly code: 'VALIDATION_FAILED' | 'NOT_FOUND' | 'INTERNAL',
    message: string,
  ) {
    super(message);
  }
}

export interface StoredAttachment extends AttachmentRef {
  bytes: Buffer;
}

export interface AttachmentStore {
  /** The folder the files live in (`<dataDir>/attachments`). */
  readonly dir: string;
  /**
   * Checks the bytes (an image by its magic bytes, within the size limit) and stores them under
   * their sha256; the same bytes twice are one file. `name` only words the errors. A file already
   * there gets a fresh modification time: the sweep's grace period counts from the last put.
   */
  put(bytes: Uint8Array, name?: string): Promise<AttachmentRef>;
  /** The bytes of a stored attachment, checked again (hash and type): a file changed on disk is refused. */
  get(id: string): Promise<StoredAttachment>;
  /** The ref of a stored attachment (type and size) without keeping its bytes. */
  describe(id: string): Promise<AttachmentRef>;
  /** Restarts the sweep's grace period of these files (their modification time becomes now); missing ones are skipped. */
  touch(ids: readonly string[]): Promise<void>;
}

export function createAttachmentStore(dir: string, options: { maxBytes?: number } = {}): AttachmentStore {
  const maxBytes = options.maxBytes ?? MAX_ATTACHMENT_BYTES;
  const pathOf = (id: string) => {
    // The id becomes a file name: only a hash may, never a path.
    if (!ATTACHMENT_ID_PATTERN.test(id)) throw new AttachmentError('VALIDATION_FAILED', `"${id}" is not an attachment id (a sha256 hex digest)`);
    return join(dir, id);
  };

  const check = (bytes: Uint8Array, name: string) => {
    if (bytes.length === 0) throw new AttachmentError('VALIDATION_FAILED', `${name} is empty`);
    if (bytes.length > maxBytes) throw new AttachmentError('VALIDATION_FAILED', describeTooLarge(name, bytes.length, maxBytes));
    const mediaType = sniffImageType(bytes);
    if (mediaType === null) throw new AttachmentError('VALIDATION_FAILED', describeNotAnImage(name));
    return mediaType;
  };

  const read = async (id: string): Promise<Buffer> => {
    try {
      return await readFile(pathOf(id));
    } catch (error) {
      if (error instanceof AttachmentError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AttachmentError('NOT_FOUND', `no attachment ${id.slice(0, 12)}… in ${dir}; it may have been deleted`);
      }
      throw new AttachmentError('INTERNAL', `could not read attachment ${id.slice(0, 12)}…: ${(error as Error).message}`);
    }
  };

  const get = async (id: string): Promise<StoredAttachment> => {
    const bytes = await read(id);
    if (createHash('sha256').update(bytes).digest('hex') !== id) {
      throw new AttachmentError('INTERNAL', `attachment ${id.slice(0, 12)}… changed on disk (its hash no longer matches); attach the image again`);
    }
    const mediaType = check(bytes, `attachment ${id.slice(0, 12)}…`);
    return { id, mediaType, size: bytes.length, bytes };
  };

  return {
    dir,
    get,
    async put(bytes, name = 'the file') {
      const mediaType = check(bytes, name);
      const id = createHash('sha256').update(bytes).digest('hex');
      const target = pathOf(id);
      const present = await stat(target).then((s) => s.size === bytes.length, () => false);
      // Refreshing the time also tells us the file is still there (a sweep may have just removed it).
      const kept = present && (await refresh(target));
      if (!kept) {
        await mkdir(dir, { recursive: true });
        // Temp file + fsync + rename: a crash leaves the old state or the whole file, never half of it.
        const temp = join(dir, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
        try {
          const handle = await open(temp, 'wx', 0o600);
          try {
            await handle.writeFile(bytes);
            await handle.sync();
          } finally {
            await handle.close();
          }
          await rename(temp, target);
        } catch (error) {
          await rm(temp, { force: true });
          throw new AttachmentError('INTERNAL', `could not store ${name} in ${dir}: ${(error as Error).message}`);
        }
      }
      return { id, mediaType, size: bytes.length };
    },
    async describe(id) {
      const { bytes: _bytes, ...ref } = await get(id);
      return ref;
    },
    async touch(ids) {
      await Promise.all(ids.map((id) => refresh(pathOf(id))));
    },
  };
}

/** Sets a file's times to now; false when it is not there (or can't be touched). */
async function refresh(path: string): Promise<boolean> {
  const now = new Date();
  return utimes(path, now, now).then(() => true, () => false);
}
