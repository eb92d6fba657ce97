import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';

/** A `models.folders` entry as the library reads it: `~` is the home folder, a relative path is under the data dir. */
export function resolveModelFolder(dataDir: string, folder: string): string {
  return resolve(dataDir, folder.replace(/^~(?=$|[\\/])/, homedir()));
}

/** The entries (as written) whose folder does not exist or is not a folder. */
export async function missingModelFolders(dataDir: string, folders: readonly string[]): Promise<string[]> {
  const checked = await Promise.all(
    folders.map(async (folder) => ((await stat(resolveModelFolder(dataDir, folder)).catch(() => undefined))?.isDirectory() === true ? null : folder)),
  );
  return checked.filter((folder): folder is string => folder !== null);
}
