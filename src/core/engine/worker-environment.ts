/** Names that look like credentials (OPENAI_API_KEY, GH_TOKEN, DB_PASSWORD…). */
const CREDENTIAL_NAME = /(^|_)(API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$/i;

/**
 * The environment the engine process starts with: the host's, less anything that looks like a
 * credential. The engine talks to no provider, so it has no use for keys, and a native crash
 * dump or a stray log of the child's environment must not carry them.
 */
export function workerEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !CREDENTIAL_NAME.test(name)));
}
