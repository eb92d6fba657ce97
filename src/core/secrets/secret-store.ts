/**
 * Where keys live when they are not in the environment. Implementations: a 0600 JSON file in the
 * data dir (`file-secret-store.ts`, for `serve` and the CLI) and Electron's safeStorage (in
 * src/main, the only place that may import electron). Values never leave core: the UI sees
 * `sk-…abcd` (providers/registry/mask-key.ts).
 */
export interface SecretStore {
  /** Where the secrets are kept, for the settings page: "an encrypted file (the OS keychain)", "…/secrets.json (0600)". */
  readonly description: string;
  /** Every stored secret, by name. Throws a SecretStoreError when the backing file can't be trusted or read. */
  readAll(): Promise<Record<string, string>>;
  set(name: string, value: string): Promise<void>;
  /** True when there was one to delete. */
  delete(name: string): Promise<boolean>;
}

export class SecretStoreError extends Error {
  override readonly name = 'SecretStoreError';
}

/**
 * Secret names are environment-variable names, so `${NAME}` in switchboard.yaml reads a stored
 * key the same way it reads an exported one.
 */
export const SECRET_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function assertSecretName(name: string): void {
  if (!SECRET_NAME_RE.test(name)) {
    throw new SecretStoreError(`"${name}" is not a usable secret name: use letters, digits and "_", not starting with a digit (like OPENAI_API_KEY)`);
  }
}

/** The secret a provider's key is stored under by default: `lab-2` → `LAB_2_API_KEY`. */
export function defaultSecretName(providerName: string): string {
  const base = providerName.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return `${/^[0-9]/.test(base) ? `P_${base}` : base}_API_KEY`;
}
