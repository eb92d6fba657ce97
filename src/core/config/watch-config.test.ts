import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConfigIssue } from './config-issue';
import { type SwitchboardConfig } from './config-schema';
import { type ConfigWatcher, watchConfig } from './watch-config';

/** Collects callbacks and lets a test wait for the next one, however long the file system takes. */
function events() {
  const changes: SwitchboardConfig[] = [];
  const errors: ConfigIssue[][] = [];
  let wake: (() => void) | undefined;
  const push = () => {
    wake?.();
    wake = undefined;
  };
  return {
    changes,
    errors,
    onChange: (c: SwitchboardConfig) => {
      changes.push(c);
      push();
    },
    onError: (e: ConfigIssue[]) => {
      errors.push(e);
      push();
    },
    async until(test: () => boolean) {
      while (!test()) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

const dirs: string[] = [];
let watcher: ConfigWatcher | undefined;
afterEach(() => {
  watcher?.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'sb-watch-'));
  dirs.push(d);
  return d;
}

describe('watchConfig', () => {
  it('reloads on an atomic rename, keeps the last good config on a bad edit, and recovers', async () => {
    const dir = tempDir();
    const path = join(dir, 'switchboard.yaml');
    writeFileSync(path, 'providers: { a: { type: mock } }\n');
    const seen = events();
    watcher = await watchConfig(path, { onChange: seen.onChange, onError: seen.onError, debounceMs: 20, env: {} });
    expect(Object.keys(watcher.current().providers)).toEqual(['a']);
    expect(seen.changes).toHaveLength(1);

    // An editor's save: write a temp file, rename it over the config.
    writeFileSync(join(dir, '.switchboard.yaml.tmp'), 'providers: { b: { type: mock } }\n');
    renameSync(join(dir, '.switchboard.yaml.tmp'), path);
    await seen.until(() => seen.changes.length >= 2);
    expect(Object.keys(watcher.current().providers)).toEqual(['b']);

    writeFileSync(path, 'providers: { b: { type: openai, baseURL: nope } }\n');
    await seen.until(() => seen.errors.length >= 1);
    expect(seen.errors[0]).toEqual([{ path: 'providers.b.baseURL', message: 'expected a URL (http:// or https://)' }]);
    expect(watcher.lastError()).toEqual(seen.errors[0]);
    expect(watcher.current().providers.b).toEqual({ type: 'mock' });

    writeFileSync(path, 'providers: { c: { type: mock } }\n');
    await seen.until(() => seen.changes.length >= 3);
    expect(Object.keys(watcher.current().providers)).toEqual(['c']);
    expect(watcher.lastError()).toBeUndefined();
  });

  it('starts on an empty config when the file is missing, and sees it appear', async () => {
    const dir = tempDir();
    const path = join(dir, 'switchboard.yaml');
    const seen = events();
    watcher = await watchConfig(path, { onChange: seen.onChange, onError: seen.onError, debounceMs: 20, env: {} });
    expect(watcher.current().providers).toEqual({});
    writeFileSync(path, 'providers: { m: { type: mock, response: hi } }\n');
    await seen.until(() => seen.changes.length >= 2);
    expect(watcher.current().providers.m).toEqual({ type: 'mock', response: 'hi' });
  });

  it('starts with the error and the empty config when the first load is bad', async () => {
    const dir = tempDir();
    const path = join(dir, 'switchboard.yaml');
    writeFileSync(path, 'providers: { x: { type: nope } }\n');
    const seen = events();
    watcher = await watchConfig(path, { onChange: seen.onChange, onError: seen.onError, env: {} });
    expect(watcher.current().providers).toEqual({});
    expect(watcher.lastError()?.[0]?.path).toBe('providers.x.type');
    expect(seen.changes).toHaveLength(0);
  });
});
