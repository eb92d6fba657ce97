import { basename } from 'node:path';

export const LOCAL_PREFIX = 'local/';

/** The display name of a model file: its file name without `.gguf`. */
export function modelNameOf(path: string): string {
  return basename(path).replace(/\.gguf$/i, '');
}

/**
 * Ids for model files, in the order given: `local/<name>`, and for a name seen
 * again `local/<name>-2`, `-3`… skipping ids another file already owns.
 * Plain names are handed out first, so a real `x-2.gguf` keeps its own id.
 */
export function assignModelIds(paths: readonly string[]): string[] {
  const names = paths.map(modelNameOf);
  const taken = new Set<string>();
  const ids: Array<string | undefined> = names.map((name) => {
    const id = LOCAL_PREFIX + name;
    if (taken.has(id)) return undefined;
    taken.add(id);
    return id;
  });
  return ids.map((id, index) => {
    if (id !== undefined) return id;
    const name = names[index] as string;
    for (let n = 2; ; n++) {
      const candidate = `${LOCAL_PREFIX}${name}-${n}`;
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
  });
}
