import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfigPath } from './resolve-config-path';

const dir = mkdtempSync(join(tmpdir(), 'sb-config-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveConfigPath', () => {
  it('prefers switchboard.yaml, then .yml, then .json, and names the .yaml when there is none', () => {
    expect(resolveConfigPath(dir)).toBe(join(dir, 'switchboard.yaml'));
    writeFileSync(join(dir, 'switchboard.json'), '{}');
    expect(resolveConfigPath(dir)).toBe(join(dir, 'switchboard.json'));
    writeFileSync(join(dir, 'switchboard.yml'), '');
    expect(resolveConfigPath(dir)).toBe(join(dir, 'switchboard.yml'));
    writeFileSync(join(dir, 'switchboard.yaml'), '');
    expect(resolveConfigPath(dir)).toBe(join(dir, 'switchboard.yaml'));
  });
});
