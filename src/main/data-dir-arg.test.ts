import { describe, expect, it } from 'vitest';
import { dataDirFromArgv, resolveAppDataDir } from './data-dir-arg';

describe('app data dir', () => {
  it('prefers --data-dir, then SWITCHBOARD_DATA_DIR, then userData', () => {
    expect(resolveAppDataDir(['electron', '.', '--data-dir', '/tmp/a'], { SWITCHBOARD_DATA_DIR: '/tmp/b' }, '/u')).toBe('/tmp/a');
    expect(resolveAppDataDir(['electron', '.'], { SWITCHBOARD_DATA_DIR: '/tmp/b' }, '/u')).toBe('/tmp/b');
    expect(resolveAppDataDir(['electron', '.'], { SWITCHBOARD_DATA_DIR: '' }, '/u')).toBe('/u');
  });

  it('reads both spellings and ignores a missing value', () => {
    expect(dataDirFromArgv(['x', '--data-dir=/d'])).toBe('/d');
    expect(dataDirFromArgv(['x', '--data-dir'])).toBeUndefined();
    expect(dataDirFromArgv(['x', '--data-dir', '--inspect'])).toBeUndefined();
    expect(dataDirFromArgv(['x', '--data-dir='])).toBeUndefined();
  });
});
