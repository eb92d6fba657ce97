import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileSecretStore } from './file-secret-store';
import { createSecretEnv } from './secret-env';
import { SecretStoreError, defaultSecretName } from './secret-store';

const dir = mkdtempSync(join(tmpdir(), 'sb-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `secrets-${n++}.json`);
const KEY = 'sk-proj-abcdefghijklmnop1234';

describe('createFileSecretStore', () => {
  it('writes a file only its owner can read, and reads it back', async () => {
    const path = freshPath();
    const store = createFileSecretStore(path);
    expect(await store.readAll()).toEqual({});
    await store.set('OPENAI_API_KEY', KEY);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await createFileSecretStore(path).readAll()).toEqual({ OPENAI_API_KEY: KEY });
    expect(await store.delete('OPENAI_API_KEY')).toBe(true);
    expect(await store.delete('OPENAI_API_KEY')).toBe(false);
    expect(await store.readAll()).toEqual({});
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('keeps 0600 when rewriting a file that had it, and loses no concurrent set', async () => {
    const store = createFileSecretStore(freshPath());
    await Promise.all(['A_KEY', 'B_KEY', 'C_KEY'].map((name) => store.set(name, `${name}-value`)));
    expect(Object.keys(await store.readAll()).sort()).toEqual(['A_KEY', 'B_KEY', 'C_KEY']);
  });

  it('refuses a file the group or others can read, saying how to fix it, without quoting it', async () => {
    const path = freshPath();
    writeFileSync(path, JSON.stringify({ version: 1, secrets: { OPENAI_API_KEY: KEY } }));
    chmodSync(path, 0o644);
    const error = await createFileSecretStore(path).readAll().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretStoreError);
    expect((error as Error).message).toContain('readable by other users (mode 644)');
    expect((error as Error).message).toContain(`chmod 600 "${path}"`);
    expect((error as Error).message).not.toContain(KEY);
    // nor does it write over the file it refused
    await expect(createFileSecretStore(path).set('OTHER', 'x')).rejects.toThrow(/readable by other users/);
    expect(readFileSync(path, 'utf8')).toContain(KEY);
  });

  it('refuses a malformed file without quoting its text', async () => {
    const path = freshPath();
    writeFileSync(path, `{"version":1,"secrets":{"OPENAI_API_KEY":"${KEY}"`, { mode: 0o600 });
    const error = await createFileSecretStore(path).readAll().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/not valid JSON/);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('refuses names that ${NAME} could not read', async () => {
    await expect(createFileSecretStore(freshPath()).set('provider:openai', KEY)).rejects.toThrow(/not a usable secret name/);
  });
});

describe('createSecretEnv', () => {
  it('puts the environment first, then the store, and follows changes in place', async () => {
    const store = createFileSecretStore(freshPath());
    await store.set('OPENAI_API_KEY', 'sk-stored-000000000000');
    await store.set('LAB_API_KEY', 'lab-stored-00000000000');
    const secrets = await createSecretEnv({ OPENAI_API_KEY: 'sk-from-env-0000000000', PATH: '/bin' }, store);
    const env = secrets.env;
    expect(env.OPENAI_API_KEY).toBe('sk-from-env-0000000000');
    expect(secrets.source('OPENAI_API_KEY')).toBe('env');
    expect(env.LAB_API_KEY).toBe('lab-stored-00000000000');
    expect(secrets.source('LAB_API_KEY')).toBe('store');
    expect(env.PATH).toBe('/bin');

    await store.set('NEW_API_KEY', 'new-000000000000000000');
    await store.delete('LAB_API_KEY');
    await secrets.refresh();
    expect(secrets.env).toBe(env); // one object: the config watcher holds it
    expect(env.NEW_API_KEY).toBe('new-000000000000000000');
    expect(env.LAB_API_KEY).toBeUndefined();
    expect(secrets.source('LAB_API_KEY')).toBeUndefined();
    expect(secrets.storedNames()).toEqual(['NEW_API_KEY', 'OPENAI_API_KEY']);
  });

  it('reports an unreadable store and keeps the environment', async () => {
    const path = freshPath();
    writeFileSync(path, '{}', { mode: 0o666 });
    chmodSync(path, 0o666);
    const secrets = await createSecretEnv({ PATH: '/bin' }, createFileSecretStore(path));
    expect(secrets.problem()).toMatch(/readable by other users/);
    expect(secrets.env.PATH).toBe('/bin');
  });

  it('names provider keys as environment variables', () => {
    expect(defaultSecretName('openai')).toBe('OPENAI_API_KEY');
    expect(defaultSecretName('lab-2.gpu')).toBe('LAB_2_GPU_API_KEY');
    expect(defaultSecretName('9box')).toBe('P_9BOX_API_KEY');
  });
});
