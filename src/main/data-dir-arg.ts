/**
 * The data dir the app uses: `--data-dir DIR` (or `--data-dir=DIR`) on the command line,
 * then SWITCHBOARD_DATA_DIR, then Electron's userData (the same folder the CLI defaults to).
 */
export function resolveAppDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, userData: string): string {
  return dataDirFromArgv(argv) ?? (env.SWITCHBOARD_DATA_DIR || undefined) ?? userData;
}

export function dataDirFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--data-dir') {
      const next = argv[i + 1];
      return next !== undefined && next !== '' && !next.startsWith('--') ? next : undefined;
    }
    if (arg?.startsWith('--data-dir=')) {
      const value = arg.slice('--data-dir='.length);
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}
