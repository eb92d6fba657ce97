import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTestModel } from '../core/models/test-model';

/**
 * The built app minus Electron: `electron-vite build` into a scratch folder, then the main
 * bundle run under Node with a fake `electron` (testing/bundle-driver.mts) through a whole
 * chat: the engine forked from the bundled engine-worker.js, a streamed answer, an abort,
 * and the quit that disposes it all. This is what catches a broken bundle config
 * (entries, externals, ESM output, paths relative to out/main) where Electron can't run.
 */
const root = process.cwd();
const require = createRequire(import.meta.url);

describe('the built main bundle', () => {
  // inside the repo (.tmp/ is ignored) so the bundle resolves node_modules as out/ does
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const scratch = mkdtempSync(join(root, '.tmp', 'bundle-smoke-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('builds, starts the core, streams a chat through the bridge, aborts, and quits', async () => {
    const bundleDir = join(scratch, 'out');
    const electronVite = join(require.resolve('electron-vite/package.json'), '..', 'bin', 'electron-vite.js');
    execFileSync(process.execPath, [electronVite, 'build', '--outDir', bundleDir, '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'pipe',
    });

    const dataDir = join(scratch, 'data');
    await writeTestModel(join(dataDir, 'models', 'tiny.gguf'), { preset: 'tiny' });
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'src', 'main', 'testing', 'bundle-driver.mts'), bundleDir, dataDir],
      { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, SWITCHBOARD_DATA_DIR: '' } },
    );
    const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}');

    expect(result.entryUrl).toBe(pathToFileURL(join(bundleDir, 'renderer', 'index.html')).href);
    expect(result.preload).toBe(join(bundleDir, 'preload', 'index.cjs'));
    expect(result.models).toEqual(['local/tiny']);
    expect(result.done[0]).toBe('chat-start');
    expect(result.done).toContain('text-delta');
    expect(result.done.slice(-2)).toEqual(['finish', 'end']);
    expect(result.doneEnd).toEqual({ t: 'end', id: 'done-1' });
    expect(result.stopped).toMatchObject({ unified: 'aborted' });
    expect(result.stopEnd).toEqual({ t: 'end', id: 'stop-1' });
    expect(result.quitRequests).toBe(2);
    expect(result.exitCodes).toEqual([]);
  }, 180_000);
});
