import { open, readFile, unlink } from 'node:fs/promises';
import { DownloadFailure } from './download-errors';

/**
 * One writer per partial file across processes: the app and a `switchboard models download` on the
 * same data dir would otherwise append to the same `.part` and corrupt it. The lock file holds the
 * owner's pid; one whose process is gone (a kill -9) is taken over.
 */
export async function lockPart(partPath: string): Promise<() => Promise<void>> {
  const lockPath = `${partPath}.lock`;
  for (let tries = 0; tries < 2; tries++) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(String(process.pid));
      } finally {
        await handle.close();
      }
      return () => unlink(lockPath).catch(() => undefined);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new DownloadFailure('network', `Another Switchboard process (pid ${owner}) is downloading this file; waiting for it.`, true);
      }
      await unlink(lockPath).catch(() => undefined); // stale: its process is gone
    }
  }
  throw new DownloadFailure('internal', `Could not lock ${partPath}.`, false);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}
