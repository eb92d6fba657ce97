import { open } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Flushes a finished download and the folder entry that names it to the disk (fsync of the file,
 * then of its directory, so the rename survives a power cut too). Called after the rename, without
 * holding up the job: until it ends, a power cut (not a crash or a kill -9, after which the page
 * cache is still there) could leave the model short. A directory cannot be opened for fsync on
 * Windows; there the file's flush is all we get.
 */
export async function syncToDisk(path: string): Promise<void> {
  const file = await open(path, 'r');
  try {
    await file.sync();
  } finally {
    await file.close();
  }
  const dir = await open(dirname(path), 'r').catch(() => undefined);
  if (dir === undefined) return;
  try {
    await dir.sync();
  } catch {
    // Some file systems refuse fsync on a directory (EINVAL); the file's own flush still happened.
  } finally {
    await dir.close();
  }
}
