import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { missingModelFolders, resolveModelFolder } from './model-folders';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-folders-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('model folders from the config', () => {
  it('resolves ~ to the home folder and relative paths under the data dir', () => {
    expect(resolveModelFolder(dir, '~/models')).toBe(join(homedir(), 'models'));
    expect(resolveModelFolder(dir, 'more')).toBe(join(dir, 'more'));
    expect(resolveModelFolder(dir, '/abs/x')).toBe('/abs/x');
  });

  it('names the entries, as written, that are missing or not folders', async () => {
    mkdirSync(join(dir, 'here'));
    writeFileSync(join(dir, 'a-file'), '');
    expect(await missingModelFolders(dir, ['here', 'gone', 'a-file', join(dir, 'here')])).toEqual(['gone', 'a-file']);
  });
});
