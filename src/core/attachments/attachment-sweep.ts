import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ATTACHMENT_ID_PATTERN } from '../../shared/image-type';

export interface SweepOptions {
  /**
   * True for an attachment that must stay (a message refers to it, or it was just put or
   * released). Asked again right before a file is removed, so an answer may change mid-sweep.
   */
  keep: (id: string) => boolean;
  /** Files modified at or after this time (ms since the epoch) stay, whatever `keep` says. */
  keepModifiedSince: number;
}

export interface SweepResult {
  /** Attachment ids whose files were removed. */
  deleted: string[];
  /** Leftovers of an interrupted write or sweep that were removed (or put back). */
  leftovers: number;
  /** Files that could not be handled, with why; they stay for the next sweep. */
  failures: string[];
}

/** A temp file of `put` (`.<id>.<rand>.tmp`) or a file this sweep moved aside (`.<id>.<rand>.sweep`). */
const LEFTOVER = /^\.([0-9a-f]{64})\.[0-9a-f]+\.(tmp|sweep)$/;

/**
 * Removes the attachment files in `dir` that nothing keeps and that were not modified recently.
 * Only names this folder's own code writes are touched (a sha256, or a leftover of one); anything
 * else in the folder stays.
 *
 * A file is first moved aside under a hidden name and checked again: if it was put or released
 * meanwhile (its time moved, or `keep` now says so), it is moved back; only then is it removed.
 * So a concurrent `put` of the same bytes either refreshed the file before the move (moved back)
 * or, finding it gone, writes it anew.
 */
export async function sweepAttachmentFiles(dir: string, options: SweepOptions): Promise<SweepResult> {
  const result: SweepResult = { deleted: [], leftovers: 0, failures: [] };
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return result; // nothing stored yet
    throw error;
  }
  const fresh = async (path: string) => (await stat(path)).mtimeMs >= options.keepModifiedSince;

  for (const name of names) {
    const path = join(dir, name);
    try {
      if (ATTACHMENT_ID_PATTERN.test(name)) {
        if (options.keep(name) || (await fresh(path))) continue;
        const aside = join(dir, `.${name}.${randomBytes(6).toString('hex')}.sweep`);
        await rename(path, aside);
        if ((await fresh(aside)) || options.keep(name)) {
          await rename(aside, path); // same bytes as anything put there meanwhile
          continue;
        }
        await rm(aside, { force: true });
        result.deleted.push(name);
        continue;
      }
      const leftover = LEFTOVER.exec(name);
      if (leftover === null || (await fresh(path))) continue;
      const id = leftover[1] as string;
      // A sweep interrupted between its move and its check: put back what is still wanted.
      if (leftover[2] === 'sweep' && options.keep(id) && !(await exists(join(dir, id)))) {
        await rename(path, join(dir, id));
      } else {
        await rm(path, { force: true });
      }
      result.leftovers++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed by someone else meanwhile
      result.failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
