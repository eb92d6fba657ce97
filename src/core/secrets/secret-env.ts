import { type SecretStore } from './secret-store';

export type SecretSource = 'env' | 'store';

export interface SecretEnv {
  /**
   * The environment the config (`${NAME}`) and the providers' key variables read: the process's
   * environment first, then the stored secrets. One object for the core's lifetime, updated in
   * place by `refresh()`, so the config watcher and each rebuilt registry see new keys.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Re-reads the store. A store that can't be read leaves no stored secret in force and says why in `problem()`. */
  refresh(): Promise<void>;
  /** Where a name's value comes from now (the environment wins over the store). */
  source(name: string): SecretSource | undefined;
  /** Names held by the store. */
  storedNames(): string[];
  /** Why the store could not be read at the last refresh, if it could not. */
  problem(): string | undefined;
}

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

export async function createSecretEnv(base: Readonly<Record<string, string | undefined>>, store: SecretStore): Promise<SecretEnv> {
  const env: Record<string, string | undefined> = { ...base };
  let stored: Record<string, string> = {};
  let problem: string | undefined;

  const refresh = async () => {
    for (const name of Object.keys(stored)) if (!isSet(base[name])) delete env[name];
    try {
      stored = await store.readAll();
      problem = undefined;
    } catch (error) {
      stored = {};
      problem = error instanceof Error ? error.message : String(error);
    }
    for (const [name, value] of Object.entries(stored)) if (!isSet(base[name])) env[name] = value;
  };
  await refresh();

  return {
    env,
    refresh,
    source: (name) => (isSet(base[name]) ? 'env' : Object.hasOwn(stored, name) ? 'store' : undefined),
    storedNames: () => Object.keys(stored).sort(),
    problem: () => problem,
  };
}
