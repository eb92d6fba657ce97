import { type SecretStore, assertSecretName } from './secret-store';

/** How a backend loads and saves the whole map of secrets (a file, an encrypted file…). */
export interface SecretMapBackend {
  description: string;
  read(): Promise<Record<string, string>>;
  write(secrets: Record<string, string>): Promise<void>;
}

/**
 * A SecretStore over a backend that keeps every secret in one map. One change at a time: two
 * settings saves must not race each other's read-modify-write.
 */
export function secretMapStore(backend: SecretMapBackend): SecretStore {
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    description: backend.description,
    readAll: () => serialized(() => backend.read()),
    set: (name, value) =>
      serialized(async () => {
        assertSecretName(name);
        const secrets = await backend.read();
        secrets[name] = value;
        await backend.write(secrets);
      }),
    delete: (name) =>
      serialized(async () => {
        const secrets = await backend.read();
        if (!Object.hasOwn(secrets, name)) return false;
        delete secrets[name];
        await backend.write(secrets);
        return true;
      }),
  };
}
