import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ElectronApplication, type Page, _electron as electron, expect, test } from '@playwright/test';
import { answerText, pickModel, recordStreamingLengths, recordedLengths, sendMessage } from './support/app';
import { TINY_MODEL_FILE, TINY_MODEL_ID } from './support/fixture-models';

/**
 * The desktop app end to end: the built bundles (out/) under real Electron, with a temp data
 * dir holding a tiny generated model; the same chat flow as the browser specs (pick model,
 * send, text streams, stop), through the preload bridge instead of the WebSocket.
 *
 * Electron's binary is not installed on our build machines (ELECTRON_SKIP_BINARY_DOWNLOAD=1),
 * so there this spec skips itself and says why.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

/** The binary `require('electron')` would return, or why there is none (without throwing as it does). */
function findElectronBinary(): { path: string } | { path: undefined; why: string } {
  const pkg = join(root, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) {
    return { path: undefined, why: 'node_modules/electron has no path.txt: its binary was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD?)' };
  }
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const path = join(dist, readFileSync(pathTxt, 'utf8').trim());
  return existsSync(path) ? { path } : { path: undefined, why: `the Electron binary is missing at ${path}` };
}

const binary = findElectronBinary();
const builtMain = join(root, 'out', 'main', 'index.js');
if (binary.path === undefined) {
  // said once in the log too: the list reporter does not print skip reasons
  console.warn(`[e2e] desktop app specs skipped: ${binary.why}`);
}

test.describe('desktop app (Electron)', () => {
  test.skip(binary.path === undefined, `Electron binary absent, desktop e2e skipped: ${'why' in binary ? binary.why : ''}`);
  test.skip(!existsSync(builtMain), 'the app is not built: run `npm run build` (electron-vite build) first');

  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
    execFileSync(process.execPath, [join(root, 'bin', 'switchboard.mjs'), 'make-test-model', join(dataDir, 'models', TINY_MODEL_FILE), '--preset', 'tiny'], {
      cwd: root,
      stdio: 'inherit',
    });
    const env = { ...process.env, SWITCHBOARD_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '1' } as Record<string, string>;
    delete env.ELECTRON_RENDERER_URL; // load the built renderer, never a dev server
    delete env.ELECTRON_RUN_AS_NODE;
    app = await electron.launch({
      executablePath: binary.path,
      // the project folder, so Electron reads package.json `main` and app.getAppPath() is the checkout
      args: [
        root,
        '--data-dir',
        dataDir,
        // Chromium refuses to run as root with its OS sandbox (CI containers)
        ...(process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
      cwd: root,
      env,
      timeout: 60_000,
    });
    app.process().stdout?.on('data', (chunk: Buffer) => process.stdout.write(`[electron] ${chunk.toString()}`));
    app.process().stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[electron] ${chunk.toString()}`));
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the page gets the bridge and nothing of Node', async () => {
    const globals = await page.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      const bridge = scope.switchboard as Record<string, unknown> | undefined;
      return {
        bridge: bridge ? Object.keys(bridge).sort() : null,
        require: typeof scope.require,
        process: typeof scope.process,
      };
    });
    expect(globals).toEqual({ bridge: ['on', 'request', 'stream'], require: 'undefined', process: 'undefined' });
  });

  test('the window is shown on the app page, with the data dir from --data-dir', async () => {
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isVisible()))).toEqual([true]);
    expect(page.url()).toMatch(/^file:.*\/out\/renderer\/index\.html/);
    expect(await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'))).toBe(dataDir);
  });

  test('chat: pick the tiny model, send, text streams, stop', async () => {
    await expect(page.getByTestId('composer')).toBeVisible();
    await pickModel(page, TINY_MODEL_ID);

    // to the end: text streams in, then the answer gets its meta line
    await recordStreamingLengths(page);
    const answer = await sendMessage(page, 'Tell me a story about switchboards', { maxTokens: 200 });
    await expect(page.getByTestId('user-message').last()).toContainText('Tell me a story about switchboards');
    await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
    const lengths = (await recordedLengths(page)).filter((n) => n > 0);
    expect(new Set(lengths).size, `lengths seen while streaming: ${lengths.join(', ')}`).toBeGreaterThanOrEqual(2);
    await expect(answerText(answer)).not.toHaveText('');
    await expect(answer.getByTestId('message-meta').getByTestId('meta-model')).toHaveText('tiny');

    // stopped midway: the abort crosses the bridge, and nothing more arrives after it
    const long = await sendMessage(page, 'Write as much as you can', { maxTokens: 100_000 });
    await expect(answerText(long)).not.toHaveText('');
    await expect(long).toHaveAttribute('data-status', 'streaming');
    await page.getByTestId('stop').click();
    await expect(long).toHaveAttribute('data-status', 'aborted');
    await expect(long.getByTestId('message-stopped')).toBeVisible();
    await expect(page.getByTestId('send')).toBeVisible();
    const stoppedAt = ((await answerText(long).textContent()) ?? '').length;
    await page.waitForTimeout(1500);
    expect(((await answerText(long).textContent()) ?? '').length).toBe(stoppedAt);
  });
});
