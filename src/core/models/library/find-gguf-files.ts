import { type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface FoundFile {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
}

/** Deep enough for `models/<publisher>/<repo>/<quant>/x.gguf`; bounds symlink loops. */
const MAX_DEPTH = 8;

/**
 * Every `.gguf` file under the folders, recursively, in a stable order
 * (folder by folder, then by path). A missing folder holds nothing.
 * Hidden entries (a leading dot) are skipped: partial downloads live there.
 */
export async function findGgufFiles(folders: readonly string[]): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  for (const folder of folders) {
    const inFolder: FoundFile[] = [];
    await walk(folder, 0, inFolder);
    inFolder.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    found.push(...inFolder);
  }
  return found;
}

async function walk(dir: string, depth: number, out: FoundFile[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // missing or unreadable: nothing to list
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    // Symlinks are followed: users link models kept elsewhere.
    const info = entry.isSymbolicLink() ? await stat(path).catch(() => undefined) : undefined;
    const isDir = info ? info.isDirectory() : entry.isDirectory();
    const isFile = info ? info.isFile() : entry.isFile();
    if (isDir) {
      if (depth < MAX_DEPTH) await walk(path, depth + 1, out);
    } else if (isFile && entry.name.toLowerCase().endsWith('.gguf')) {
      const fileInfo = info ?? (await stat(path).catch(() => undefined));
      if (fileInfo) out.push({ path, sizeBytes: fileInfo.size, mtimeMs: fileInfo.mtimeMs });
    }
  }
}
