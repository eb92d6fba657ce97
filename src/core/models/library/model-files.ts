import { randomBytes } from 'node:crypto';
import { copyFile, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, isAbsolute, join, relative } from 'node:path';
import { type LocalModelEntry } from '../../../shared/domain';
import { type ModelLibrary } from './model-library';

/** Why a model file operation was refused: `not_found`, `invalid` (not a GGUF, not a file), `conflict` (the name is taken). */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  constructor(
    readonly code: 'not_found' | 'invalid' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

const GGUF_MAGIC = Buffer.from('GGUF', 'ascii');

/** True when `path` lies inside one of the folders (after following symlinks). */
async function insideFolders(path: string, folders: readonly string[]): Promise<boolean> {
  const real = await realpath(path).catch(() => path);
  for (const folder of folders) {
    const root = await realpath(folder).catch(() => undefined);
    if (root === undefined) continue;
    const rel = relative(root, real);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return true;
  }
  return false;
}

/**
 * Deletes a library model's file. Only a file the library lists (so inside a models folder) is
 * ever deleted; `beforeDelete` lets the caller unload it from the engine first.
 */
export async function deleteModelFile(library: ModelLibrary, id: string, beforeDelete?: (path: string) => Promise<void>): Promise<string> {
  const entry = await library.resolve(id);
  if (entry === undefined) throw new ModelFileError('not_found', `There is no local model ${id}.`);
  if (!(await insideFolders(entry.path, library.folders))) throw new ModelFileError('invalid', `${entry.path} is not inside a models folder; it is not deleted.`);
  await beforeDelete?.(entry.path);
  await unlink(entry.path);
  await library.list(); // forget it now, so a chat cannot resolve it any more
  return entry.path;
}

/**
 * Brings a `.gguf` file into the library: one already inside a models folder is left where it
 * is; another is copied into `targetDir` through a hidden temp file and an atomic rename, so the
 * library never lists a half-copied model. The file must start with the GGUF signature.
 */
export async function importModelFile(library: ModelLibrary, source: string, targetDir: string): Promise<LocalModelEntry> {
  if (!isAbsolute(source)) throw new ModelFileError('invalid', `"${source}" is not an absolute path; drop the file onto the window or give its full path.`);
  const info = await stat(source).catch(() => undefined);
  if (info === undefined) throw new ModelFileError('not_found', `${source} does not exist.`);
  if (!info.isFile()) throw new ModelFileError('invalid', `${source} is not a file.`);
  if (!source.toLowerCase().endsWith('.gguf')) throw new ModelFileError('invalid', `${basename(source)} is not a .gguf file; only GGUF models can be imported.`);
  const head = Buffer.alloc(4);
  const handle = await open(source, 'r');
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (!head.equals(GGUF_MAGIC)) throw new ModelFileError('invalid', `${basename(source)} is not a GGUF model file (it does not start with the GGUF signature).`);

  let path = source;
  if (!(await insideFolders(source, library.folders))) {
    path = join(targetDir, basename(source));
    const existing = await stat(path).catch(() => undefined);
    if (existing !== undefined) {
      throw new ModelFileError('conflict', `A model named ${basename(source)} is already in ${targetDir}. Rename the file, or delete the other model first.`);
    }
    const temp = join(targetDir, `.${basename(source)}.${randomBytes(6).toString('hex')}.import`);
    try {
      await copyFile(source, temp);
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }
  const real = await realpath(path).catch(() => path);
  const entries = await library.list();
  const entry = entries.find((e) => e.path === path) ?? (await findByRealPath(entries, real));
  if (entry === undefined) throw new ModelFileError('not_found', `${path} was imported but the library does not list it.`);
  return entry;
}

async function findByRealPath(entries: LocalModelEntry[], real: string): Promise<LocalModelEntry | undefined> {
  for (const entry of entries) if ((await realpath(entry.path).catch(() => entry.path)) === real) return entry;
  return undefined;
}
