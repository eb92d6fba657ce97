import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, Notification, Tray, app, dialog, ipcMain, safeStorage, session } from 'electron';
import { createCore } from '../core/app';
import { HOST_EVENTS, type SettingsView } from '../shared/contract';
import { APP_DIR_NAME } from '../core/config/data-dir';
import { resolveAppLocation } from './app-location';
import { notificationForEvent } from './budget-notification';
import { decideClose } from './close-behaviour';
import { resolveAppDataDir } from './data-dir-arg';
import { installGuards } from './install-guards';
import { type IpcBridge, bindIpcBridge } from './ipc-bridge';
import { resolveSqliteNativeBinding } from './native-binding';
import { createQuitGuard } from './quit-guard';
import { createSafeStorageSecretStore } from './safe-storage-secrets';
import { type TrayController, createTrayController, startOfLocalDay } from './tray-controller';
import { createWindowOptions } from './window-options';

/**
 * The Electron shell: lifecycle, one window, the bridge. The product is the core
 * (src/core), which runs the same way under `switchboard serve`.
 */
const mainDir = dirname(fileURLToPath(import.meta.url));
const log = (level: 'info' | 'warn' | 'error', message: string) =>
  (level === 'info' ? console.log : console.error)(`[main] ${level}: ${message}`);

// One data dir, one instance. `--data-dir` or SWITCHBOARD_DATA_DIR point the app elsewhere;
// userData follows, so the lock and Chromium's profile go with the data.
app.setName('Switchboard');
const dataDir = resolve(resolveAppDataDir(process.argv, process.env, join(app.getPath('appData'), APP_DIR_NAME)));
app.setPath('userData', dataDir);
app.setPath('sessionData', join(dataDir, 'electron'));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  const location = resolveAppLocation({
    devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
    rendererDir: join(mainDir, '..', 'renderer'),
  });
  let mainWindow: BrowserWindow | null = null;
  let bridge: IpcBridge | null = null;
  type Core = Awaited<ReturnType<typeof createCore>>;
  // the core while it starts, so that a quit during startup still disposes it
  let coreStarting: Promise<Core | null> = Promise.resolve(null);
  // Set once a quit starts, so closing the window then really closes it (not to the tray).
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });

  // Registered first, so a quit during startup also waits for what exists by then.
  app.on(
    'before-quit',
    createQuitGuard({
      shutdown: async () => {
        bridge?.dispose();
        bridge = null;
        // dispose() stops the gateway first
        const core = await coreStarting;
        await core?.dispose();
      },
      quit: () => app.quit(),
      onError: (error) => console.error('[main] shutdown:', error),
    }),
  );
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  await app.whenReady();
  installGuards(app, session.defaultSession, location);

  const sqlite = resolveSqliteNativeBinding({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
  });
  if (sqlite.path === undefined) log('warn', sqlite.problem);

  const starting = createCore({
    dataDir,
    // keys typed in settings, encrypted by the OS keychain (a 0600 file where there is none)
    secrets: createSafeStorageSecretStore({
      safeStorage,
      path: join(dataDir, 'secrets.enc'),
      fallbackPath: join(dataDir, 'secrets.json'),
      warn: (message) => log('warn', message),
    }),
    // the engine runs in its own process, under Node semantics, from the bundled worker
    engineOptions: {
      worker: { path: join(mainDir, 'engine-worker.js'), env: { ELECTRON_RUN_AS_NODE: '1' } },
      onLog: (line) => log('info', `engine: ${line}`),
    },
    ...(sqlite.path !== undefined ? { sqliteNativeBinding: sqlite.path } : {}),
    log,
    warmEngine: true,
  });
  coreStarting = starting.catch(() => null);
  let core: Core;
  try {
    core = await starting;
  } catch (error) {
    console.error('[main] the core failed to start:', error);
    dialog.showErrorBox('Switchboard could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
    return;
  }
  const activeBridge = bindIpcBridge({
    ipcMain,
    dispatcher: core.dispatcher,
    location,
    log: (message) => log('warn', message),
  });
  bridge = activeBridge;
  const iconPath = app.isPackaged ? join(process.resourcesPath, 'icon.png') : join(app.getAppPath(), 'resources', 'icon.png');
  // The app's own settings, followed as they change (closing the window may hide it to the tray).
  let hideToTray = false;
  void core.dispatcher.request('settings.get', {}, 'main').then((result) => {
    if (result.ok) hideToTray = (result.data as SettingsView).app.hideToTray;
  });
  let tray: TrayController | null = null;
  // The HTTP gateway: off unless gateway.enabled; the settings page and the tray switch it, and it follows edits of the file.
  void core.gateway.host();
  core.onEvent((name, data) => {
    activeBridge.broadcast(name, data);
    tray?.onEvent(name, data);
    if (name === HOST_EVENTS.appSettingsChanged) hideToTray = (data as SettingsView['app']).hideToTray;
    const notification = notificationForEvent(name, data);
    if (notification !== null && Notification.isSupported()) new Notification(notification).show();
  });

  const createWindow = () => {
    const win = new BrowserWindow(
      createWindowOptions({ preloadPath: join(mainDir, '..', 'preload', 'index.cjs'), iconPath }),
    );
    const contents = win.webContents;
    activeBridge.attach(contents);
    // a reload starts a new page; streams of the old one have nobody left to read them
    contents.on('did-navigate', () => activeBridge.releaseStreams(contents.id));
    win.once('ready-to-show', () => win.show());
    win.on('close', (event) => {
      if (decideClose({ hideToTray, trayAvailable: tray !== null, quitting }) === 'hide') {
        event.preventDefault();
        win.hide();
      }
    });
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    void win.loadURL(location.entryUrl);
    mainWindow = win;
  };
  createWindow();
  const showWindow = () => {
    if (!mainWindow || mainWindow.isDestroyed()) return createWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  // The tray: a desktop without one (some Linux sessions) just has no tray, and the window closes as usual.
  try {
    const icon = new Tray(iconPath);
    icon.on('click', showWindow);
    tray = createTrayController({
      dispatcher: core.dispatcher,
      show: (menu, tooltip) => {
        icon.setContextMenu(Menu.buildFromTemplate(menu));
        icon.setToolTip(tooltip);
      },
      openWindow: showWindow,
      gateway: core.gateway,
      quit: () => app.quit(),
      startOfToday: () => startOfLocalDay(Date.now()),
      log: (message) => log('warn', message),
    });
    void tray.refresh();
    // today's spend moves with every call; a minute is fresh enough for a menu
    setInterval(() => void tray?.refresh(), 60_000).unref();
    app.on('before-quit', () => {
      tray?.dispose();
      icon.destroy();
    });
  } catch (error) {
    log('warn', `no tray icon: ${error instanceof Error ? error.message : String(error)}`);
  }

  // macOS dock click: bring back the window, hidden to the tray or closed
  app.on('activate', showWindow);
}
