import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron-ABI build of better-sqlite3 lives. The one in node_modules is built
 * for Node (the CLI, `serve` and the tests use it), so the app loads its own copy through
 * better-sqlite3's `nativeBinding` option:
 * - from a checkout: `.electron-native/` beside package.json, made by scripts/electron-native.mjs;
 * - packaged: `resources/native/`, copied there by electron-builder's extraResources.
 */
export const ELECTRON_NATIVE_DIR = '.electron-native';
export const SQLITE_BINARY_IN_CHECKOUT = join('better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
export const SQLITE_BINARY_IN_RESOURCES = join('native', 'better_sqlite3.node');

export interface NativeBindingInput {
  isPackaged: boolean;
  /** app.getAppPath(): the folder with package.json when run from a checkout. */
  appPath: string;
  /** process.resourcesPath. */
  resourcesPath: string;
}

export function sqliteBindingCandidate(input: NativeBindingInput): string {
  return input.isPackaged
    ? join(input.resourcesPath, SQLITE_BINARY_IN_RESOURCES)
    : join(input.appPath, ELECTRON_NATIVE_DIR, SQLITE_BINARY_IN_CHECKOUT);
}

/**
 * The binary to pass as `nativeBinding`, or undefined with the reason when there is none
 * (better-sqlite3 then loads its default build, which only works if that one was built for Electron).
 */
export function resolveSqliteNativeBinding(
  input: NativeBindingInput,
  exists: (path: string) => boolean = existsSync,
): { path: string } | { path: undefined; problem: string } {
  const candidate = sqliteBindingCandidate(input);
  if (exists(candidate)) return { path: candidate };
  const fix = input.isPackaged
    ? 'the package was built without it: run `node scripts/electron-native.mjs` before electron-builder'
    : 'run `node scripts/electron-native.mjs` (npm start does this)';
  return { path: undefined, problem: `no Electron build of better-sqlite3 at ${candidate}; ${fix}` };
}
