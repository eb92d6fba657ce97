import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSqliteNativeBinding, sqliteBindingCandidate } from './native-binding';

describe('native binding', () => {
  const checkout = { isPackaged: false, appPath: '/src/switchboard', resourcesPath: '/unused' };
  const packaged = { isPackaged: true, appPath: '/opt/S/resources/app.asar', resourcesPath: '/opt/S/resources' };

  it('looks in .electron-native from a checkout and in resources when packaged', () => {
    expect(sqliteBindingCandidate(checkout)).toBe(
      join('/src/switchboard', '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
    );
    expect(sqliteBindingCandidate(packaged)).toBe(join('/opt/S/resources', 'native', 'better_sqlite3.node'));
  });

  it('returns the path when the binary is there, and says how to make it when not', () => {
    expect(resolveSqliteNativeBinding(packaged, () => true)).toEqual({ path: sqliteBindingCandidate(packaged) });
    const missing = resolveSqliteNativeBinding(checkout, () => false);
    expect(missing.path).toBeUndefined();
    expect('problem' in missing && missing.problem).toMatch(/electron-native\.mjs/);
  });
});
