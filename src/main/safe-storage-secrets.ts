import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { type SecretStore, SecretStoreError, createFileSecretStore, secretMapStore } from '../core/secrets';

/** The part of Electron's `safeStorage` used here (structural, so tests pass a stand-in). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means no keyring, i.e. a fixed key: no better than a 0600 file. */
  getSelectedStorageBackend?(): string;
}

const secretsSchema = z.record(z.string(), z.string());

/**
 * The Electron app's SecretStore: the secrets, as one JSON map, encrypted by safeStorage (the
 * macOS Keychain, Windows DPAPI, libsecret/kwallet on Linux) into `path`, written atomically with
 * mode 0600. Where safeStorage has no real keyring (Linux `basic_text`) it says so and uses the
 * same 0600 file as `serve` instead of pretending to encrypt.
 */
export function createSafeStorageSecretStore(options: { safeStorage: SafeStorageLike; path: string; fallbackPath: string; warn: (message: string) => void }): SecretStore {
  const { safeStorage, path } = options;
  const backend = safeStorage.getSelectedStorageBackend?.();
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
    options.warn(`no OS keychain is available${backend ? ` (${backend})` : ''}; keys are kept in ${options.fallbackPath}, readable by you only`);
    return createFileSecretStore(options.fallbackPath);
  }

  const read = async (): Promise<Record<string, string>> => {
    let encrypted: Buffer;
    try {
      encrypted = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new SecretStoreError(`cannot read the key file ${path}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(safeStorage.decryptString(encrypted));
    } catch {
      throw new SecretStoreError(`the key file ${path} cannot be decrypted by this user's keychain; remove it and enter the keys again in Settings`);
    }
    const result = secretsSchema.safeParse(parsed);
    if (!result.success) throw new SecretStoreError(`the key file ${path} is not in the expected shape; remove it and enter the keys again in Settings`);
    return result.data;
  };
  const write = (secrets: Record<string, string>) => writeFileAtomic(path, safeStorage.encryptString(JSON.stringify(secrets)), { mode: 0o600 });

  return secretMapStore({ description: `${path} (encrypted with the OS keychain)`, read, write });
}
