import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SafeStorageLike, createSafeStorageSecretStore } from './safe-storage-secrets';

const dir = mkdtempSync(join(tmpdir(), 'sb-safe-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const KEY = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz';

/** A stand-in for safeStorage: a reversible byte transform, so the file never holds the plain text. */
const fakeSafeStorage = (over: Partial<SafeStorageLike> = {}): SafeStorageLike => ({
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
  getSelectedStorageBackend: () => 'gnome_libsecret',
  ...over,
});

const paths = () => ({ path: join(dir, `secrets-${n}.enc`), fallbackPath: join(dir, `secrets-${n++}.json`) });

describe('createSafeStorageSecretStore', () => {
  it('keeps the secrets encrypted in a 0600 file', async () => {
    const where = paths();
    const warnings: string[] = [];
    const store = createSafeStorageSecretStore({ safeStorage: fakeSafeStorage(), ...where, warn: (m) => warnings.push(m) });
    await store.set('ANTHROPIC_API_KEY', KEY);
    expect(readFileSync(where.path).includes(Buffer.from(KEY))).toBe(false);
    expect(statSync(where.path).mode & 0o777).toBe(0o600);
    expect(await createSafeStorageSecretStore({ safeStorage: fakeSafeStorage(), ...where, warn: () => undefined }).readAll()).toEqual({ ANTHROPIC_API_KEY: KEY });
    expect(await store.delete('ANTHROPIC_API_KEY')).toBe(true);
    expect(await store.readAll()).toEqual({});
    expect(store.description).toContain('encrypted with the OS keychain');
    expect(warnings).toEqual([]);
  });

  it('says what to do with a file another keychain wrote', async () => {
    const where = paths();
    writeFileSync(where.path, 'garbage');
    const store = createSafeStorageSecretStore({
      safeStorage: fakeSafeStorage({ decryptString: () => { throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.'); } }),
      ...where,
      warn: () => undefined,
    });
    await expect(store.readAll()).rejects.toThrow(/cannot be decrypted by this user's keychain; remove it and enter the keys again/);
  });

  it('uses the 0600 file, and says so, where there is no real keychain', async () => {
    for (const safeStorage of [fakeSafeStorage({ isEncryptionAvailable: () => false }), fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' })]) {
      const where = paths();
      const warnings: string[] = [];
      const store = createSafeStorageSecretStore({ safeStorage, ...where, warn: (m) => warnings.push(m) });
      await store.set('OPENAI_API_KEY', KEY);
      expect(statSync(where.fallbackPath).mode & 0o777).toBe(0o600);
      expect(warnings[0]).toMatch(/no OS keychain is available.*readable by you only/);
    }
  });
});
