import { stat } from 'node:fs/promises';
import { type LocalModelEntry } from '../../../shared/domain';
import { LOCAL_PREFIX, assignModelIds, modelNameOf } from './assign-model-ids';
import { findGgufFiles } from './find-gguf-files';
import { type GgufInspection, inspectGguf } from './inspect-gguf';

export interface ModelLibraryOptions {
  /** Folders scanned recursively for `.gguf` files, in priority order for ids. */
  folders: readonly string[];
  /**
   * The folders a user listed in a setting (`models.folders` of the config file `source`): one that
   * does not exist is reported through `warn`, once per folder, instead of holding nothing silently.
   */
  listed?: { setting: string; source: string; folders: readonly string[] };
  warn?: (message: string) => void;
}

/** The folders as they are on disk now. */
export interface FolderCheck {
  existing: string[];
  /** Missing, or not a folder: they hold nothing. */
  missing: string[];
}

export interface ModelLibrary {
  readonly folders: readonly string[];
  /** Every model file, with its metadata or the reason it cannot be loaded. */
  list(): Promise<LocalModelEntry[]>;
  /** Which folders exist; warns (once each) about listed ones that do not. */
  checkFolders(): Promise<FolderCheck>;
  /** Where a user should put models: "put .gguf files in <the folders that exist>", else the first one, to create. */
  placementHint(): Promise<string>;
  /** Finds a model by `local/<name>` or bare `<name>`. */
  resolve(modelId: string): Promise<LocalModelEntry | undefined>;
}

interface CachedInspection {
  key: string;
  inspection: Promise<GgufInspection>;
}

/**
 * The local models folder(s). Listing re-walks the folders each time but parses a file's GGUF
 * header only when its path, size or mtime changed; resolving a known id checks only its file.
 */
export function createModelLibrary(options: ModelLibraryOptions): ModelLibrary {
  const cache = new Map<string, CachedInspection>();
  /** The last listing, by id, with the size and mtime each entry was read at. */
  let lastListed = new Map<string, { entry: LocalModelEntry; key: string }>();

  const inspect = (path: string, sizeBytes: number, mtimeMs: number): Promise<GgufInspection> => {
    const key = `${sizeBytes}:${mtimeMs}`;
    const cached = cache.get(path);
    if (cached?.key === key) return cached.inspection;
    // Concurrent lists share one parse; a parse never rejects (errors become `error`).
    const inspection = inspectGguf(path, sizeBytes).catch(
      (error: unknown): GgufInspection => ({
        architecture: null,
        parameterCount: null,
        quantization: null,
        contextLength: null,
        hasChatTemplate: false,
        error: `${modelNameOf(path)}.gguf could not be read (${error instanceof Error ? error.message : String(error)}).`,
      }),
    );
    cache.set(path, { key, inspection });
    return inspection;
  };

  const warned = new Set<string>();
  const listed = new Set(options.listed?.folders ?? []);

  const checkFolders = async (): Promise<FolderCheck> => {
    const check: FolderCheck = { existing: [], missing: [] };
    for (const folder of options.folders) {
      const info = await stat(folder).catch(() => undefined);
      if (info?.isDirectory() === true) {
        check.existing.push(folder);
        continue;
      }
      check.missing.push(folder);
      if (options.listed !== undefined && listed.has(folder) && !warned.has(folder)) {
        warned.add(folder);
        const { setting, source } = options.listed;
        const what = info === undefined ? 'does not exist' : 'is not a folder';
        options.warn?.(`${setting} in ${source} lists ${folder}, which ${what}: create that folder and put .gguf files in it, or remove it from ${setting}.`);
      }
    }
    return check;
  };

  const list = async (): Promise<LocalModelEntry[]> => {
    const files = await findGgufFiles((await checkFolders()).existing);
    const ids = assignModelIds(files.map((f) => f.path));
    const present = new Set(files.map((f) => f.path));
    for (const path of cache.keys()) if (!present.has(path)) cache.delete(path);

    // One at a time: headers of big vocabularies are parsed in JS, and this runs beside chats.
    const entries: LocalModelEntry[] = [];
    const byId = new Map<string, { entry: LocalModelEntry; key: string }>();
    for (const [index, file] of files.entries()) {
      const inspection = await inspect(file.path, file.sizeBytes, file.mtimeMs);
      const entry: LocalModelEntry = {
        id: ids[index] as string,
        name: modelNameOf(file.path),
        path: file.path,
        sizeBytes: file.sizeBytes,
        ...inspection,
      };
      entries.push(entry);
      byId.set(entry.id, { entry, key: `${file.sizeBytes}:${file.mtimeMs}` });
    }
    lastListed = byId;
    return entries;
  };

  /** The last listing's entry while its file is unchanged: one stat per send instead of a walk of every folder. */
  const fromLastList = async (id: string): Promise<LocalModelEntry | undefined> => {
    const known = lastListed.get(id);
    if (known === undefined) return undefined;
    const now = await stat(known.entry.path).catch(() => undefined);
    return now !== undefined && `${now.size}:${now.mtimeMs}` === known.key ? known.entry : undefined;
  };

  return {
    folders: options.folders,
    list,
    checkFolders,
    async placementHint() {
      const { existing } = await checkFolders();
      if (existing.length > 0) return `put .gguf files in ${existing.join(', ')}`;
      return options.folders.length > 0 ? `put .gguf files in ${options.folders[0]} (create that folder first)` : 'list a models folder in models.folders of switchboard.yaml and put .gguf files in it';
    },
    async resolve(modelId) {
      const id = modelId.startsWith(LOCAL_PREFIX) ? modelId : LOCAL_PREFIX + modelId;
      return (await fromLastList(id)) ?? (await list()).find((entry) => entry.id === id);
    },
  };
}
