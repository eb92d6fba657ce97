import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../shared/contract';
import type { FakeElectron } from './testing/fake-electron';

/**
 * index.ts for real (the real core, store and bridge) against a fake `electron` module:
 * the wiring that the pure-function tests can't see. Electron itself can't run here.
 */
const fake = vi.hoisted(() => ({
  electron: undefined as FakeElectron | undefined,
  root: '',
}));

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./testing/fake-electron');
  const { mkdtempSync: mkdtemp } = await import('node:fs');
  const { tmpdir: tmp } = await import('node:os');
  const { join: joinPath } = await import('node:path');
  fake.root = mkdtemp(joinPath(tmp(), 'switchboard-main-'));
  fake.electron = createFakeElectron({ appData: joinPath(fake.root, 'appData'), appPath: process.cwd() });
  return fake.electron.module;
});

// Generous: the core warms the engine process at start, and quit waits for it to stop; on a
// loaded 2-core machine that can take several seconds.
async function until(check: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('main process (index.ts against a fake electron)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-data-'));
  const savedEnv = process.env.SWITCHBOARD_DATA_DIR;

  afterAll(() => {
    process.env.SWITCHBOARD_DATA_DIR = savedEnv;
    if (savedEnv === undefined) delete process.env.SWITCHBOARD_DATA_DIR;
    rmSync(dataDir, { recursive: true, force: true });
    if (fake.root) rmSync(fake.root, { recursive: true, force: true });
  });

  it('starts, serves the bridge to its window only, and disposes the core on quit', async () => {
    process.env.SWITCHBOARD_DATA_DIR = dataDir;
    await import('./index');
    const electron = fake.electron!;
    const { BrowserWindow, ipcMain, state } = electron;

    // data dir: the env's, and Electron's userData follows it
    expect(electron.paths.get('userData')).toBe(dataDir);
    expect(electron.paths.get('sessionData')).toBe(join(dataDir, 'electron'));

    // one hardened window, shown once ready, on the built renderer
    await until(() => BrowserWindow.all.length === 1, 'the window');
    const win = BrowserWindow.all[0]!;
    expect(win.options).toMatchObject({ show: false });
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String((win.options.webPreferences as Record<string, unknown>).preload)).toMatch(/preload[\\/]index\.cjs$/);
    await until(() => win.visible, 'ready-to-show');
    expect(win.webContents.url).toMatch(/^file:.*\/renderer\/index\.html$/);

    // the bridge: a request from our page gets the core's answer; anyone else is refused
    await until(() => ipcMain.handlers.has(IPC_CHANNELS.request), 'the bridge');
    await expect(ipcMain.invoke(IPC_CHANNELS.request, win.webContents.ipcEvent(), 'models.local.list', {})).resolves.toEqual({
      ok: true,
      data: [],
    });
    await expect(
      ipcMain.invoke(IPC_CHANNELS.request, win.webContents.ipcEvent('https://evil.example/'), 'models.local.list', {}),
    ).resolves.toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });

    // a stream that fails validation ends at once, as a frame to that window
    ipcMain.emit(IPC_CHANNELS.stream, win.webContents.ipcEvent(), 's-1', 'chat.send', { text: 'hi' });
    await until(() => win.webContents.sent.length > 0, 'the end frame');
    expect(win.webContents.sent[0]).toEqual([
      IPC_CHANNELS.frame,
      expect.objectContaining({ t: 'end', id: 's-1', error: expect.objectContaining({ code: 'VALIDATION_FAILED' }) }),
    ]);

    // the guards are installed: CSP on our page, window.open denied and sent to the browser
    let headers: Record<string, string[] | string> | undefined;
    state.headersHook!({ url: win.webContents.url, responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(String(headers?.['Content-Security-Policy'])).toContain("script-src 'self'");
    expect(win.webContents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(state.openedExternally).toEqual(['https://example.com/']);

    // the tray: a menu from the core's state, and closing the window hides it there when set
    const tray = electron.Tray.all[0]!;
    await until(() => tray.menu !== null, 'the tray menu');
    expect(JSON.stringify(tray.menu!.template)).toContain('Quit Switchboard');
    await expect(ipcMain.invoke(IPC_CHANNELS.request, win.webContents.ipcEvent(), 'settings.app.save', { hideToTray: true })).resolves.toMatchObject({ ok: true });
    await until(() => win.listenerCount('close') > 0, 'the close handler');
    win.close();
    expect(win.destroyed).toBe(false);
    expect(win.visible).toBe(false);
    win.show();

    // quit: held until the core is disposed, then let through
    electron.app.quit();
    expect(state.quit).toBe(false);
    await until(() => state.quit, 'the quit after dispose');
    expect(state.quitRequests).toBe(2);
    expect(ipcMain.handlers.size).toBe(0);
    expect(state.exitCodes).toEqual([]);
  });
});
