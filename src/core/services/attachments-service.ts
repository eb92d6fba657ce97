import { type AttachmentRef } from '../../shared/domain';
import { type ImagePart } from '../../shared/llm';
import { ContractFailure } from '../api/contract-failure';
import { AttachmentError, type AttachmentStore } from '../attachments/attachment-store';
import { type SweepResult, sweepAttachmentFiles } from '../attachments/attachment-sweep';
import { type Log } from './log';

export interface AttachmentsService {
  /** Stores base64 bytes (checked by magic bytes and size) and returns their ref. */
  put(input: { data: string; name?: string | undefined }): Promise<AttachmentRef>;
  /** A stored attachment with its bytes as base64. */
  get(id: string): Promise<AttachmentRef & { data: string }>;
  /** The refs of stored attachments, in order; NOT_FOUND names the first one missing. */
  describe(ids: readonly string[]): Promise<AttachmentRef[]>;
  /** A stored attachment as a model-spec image part (base64). */
  imagePart(ref: AttachmentRef): Promise<ImagePart>;
  /**
   * Messages that referred to these attachments were deleted (edit, regenerate: a resend of the
   * same images usually follows at once). Their grace period starts again, then a sweep runs.
   */
  release(ids: readonly string[]): Promise<void>;
  /** Removes the files no message refers to that were not put or released within the grace period. One at a time. */
  sweep(): Promise<SweepResult>;
  /** Resolves when no sweep is running or queued (before the database closes). */
  idle(): Promise<void>;
}

export interface AttachmentCleanup {
  /** The ids of every attachment some message refers to. */
  inUse: () => ReadonlySet<string>;
  log: Log;
  /** How long a file no message refers to stays after it was last put or released; a day by default. */
  graceMs?: number;
  clock?: () => number;
}

/** A draft's image may wait a long time before it is sent (or never be). */
export const ATTACHMENT_GRACE_MS = 24 * 60 * 60 * 1000;

export function createAttachmentsService(store: AttachmentStore, cleanup?: AttachmentCleanup): AttachmentsService {
  const graceMs = cleanup?.graceMs ?? ATTACHMENT_GRACE_MS;
  const clock = cleanup?.clock ?? Date.now;
  // In this process, ids put or released within the grace period stay whatever their file's time
  // says (the file's time is what keeps them across a restart).
  const pinnedUntil = new Map<string, number>();
  const pin = (ids: readonly string[]) => {
    const until = clock() + graceMs;
    for (const id of ids) pinnedUntil.set(id, until);
  };
  let sweeping: Promise<void> = Promise.resolve();

  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AttachmentError) throw new ContractFailure(error.code, error.message);
      throw error;
    }
  };

  const sweepNow = async (): Promise<SweepResult> => {
    const empty: SweepResult = { deleted: [], leftovers: 0, failures: [] };
    if (cleanup === undefined) return empty;
    const now = clock();
    for (const [id, until] of pinnedUntil) if (until <= now) pinnedUntil.delete(id);
    const inUse = cleanup.inUse();
    const result = await sweepAttachmentFiles(store.dir, {
      keep: (id) => inUse.has(id) || (pinnedUntil.get(id) ?? 0) > clock(),
      keepModifiedSince: now - graceMs,
    });
    if (result.deleted.length > 0 || result.leftovers > 0) {
      cleanup.log('info', `attachments: removed ${result.deleted.length} file(s) no message refers to and ${result.leftovers} leftover(s) from ${store.dir}`);
    }
    for (const failure of result.failures) cleanup.log('warn', `attachments: could not sweep ${failure}`);
    return result;
  };

  const sweep = (): Promise<SweepResult> => {
    const run = sweeping.then(sweepNow);
    sweeping = run.then(() => undefined, () => undefined);
    return run;
  };

  return {
    put: ({ data, name }) =>
      guard(async () => {
        const ref = await store.put(Buffer.from(data, 'base64'), name);
        pin([ref.id]);
        return ref;
      }),
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
    async release(ids) {
      pin(ids);
      await store.touch(ids);
      await sweep();
    },
    sweep,
    idle: () => sweeping,
  };
}
