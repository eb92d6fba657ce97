import { readFile, stat } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { secretMapStore } from './secret-map-store';
import { type SecretStore, SecretStoreError } from './secret-store';

const fileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string()) });

/**
 * Secrets in a JSON file readable by its owner only (mode 0600), for `serve` and the CLI. Writes
 * are atomic (temp file + rename, so a crash never leaves half a file). A file that the group or
 * others may read is refused rather than used: a key that may have leaked should be rotated, and
 * the fix (`chmod 600`) is named.
 */
export function createFileSecretStore(path: string): SecretStore {
  const read = async (): Promise<Record<string, string>> => {
    let mode: number;
    try {
      mode = (await stat(path)).mode;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new SecretStoreError(`cannot read the secrets file ${path}: ${(error as Error).message}`);
    }
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new SecretStoreError(
        `the secrets file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); ` +
          `it is not used until only you can read it: run chmod 600 "${path}" (and consider rotating the keys in it)`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      // never quote the text: it holds keys
      throw new SecretStoreError(`the secrets file ${path} is not valid JSON (${(error as Error).name}); fix or remove it`);
    }
    const result = fileSchema.safeParse(parsed);
    if (!result.success) {
      throw new SecretStoreError(`the secrets file ${path} is not in the expected shape ({ "version": 1, "secrets": { NAME: "value" } }); fix or remove it`);
    }
    return result.data.secrets;
  };

  const write = (secrets: Record<string, string>) =>
    writeFileAtomic(path, `${JSON.stringify({ version: 1, secrets }, null, 2)}\n`, { mode: 0o600, encoding: 'utf8' });

  return secretMapStore({ description: `${path} (readable by you only)`, read, write });
}
