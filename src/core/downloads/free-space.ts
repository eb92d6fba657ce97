import { statfs } from 'node:fs/promises';

/** Bytes free for an unprivileged user on the file system holding `dir`. */
export type FreeSpaceProbe = (dir: string) => Promise<number>;

export const statfsFreeSpace: FreeSpaceProbe = async (dir) => {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
};

/** Kept free beyond the file itself, so a download never fills the disk to the last byte. */
export const DISK_RESERVE_BYTES = 64 * 1024 * 1024;
