import { EventEmitter } from 'node:events';

/**
 * Just enough of Electron's main-process API for index.ts to run under Node in a test:
 * the app lifecycle, windows and their webContents, ipcMain, the session hooks. Test-only;
 * Electron's binary is not installed on our build machines.
 */
export function createFakeElectron(options: { appData: string; appPath: string }) {
  const paths = new Map<string, string>([['appData', options.appData]]);
  const state = {
    quitRequests: 0,
    quit: false,
    exitCodes: [] as number[],
    openedExternally: [] as string[],
    errorBoxes: [] as [string, string][],
    headersHook: undefined as
      | ((details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[] | string> }) => void) => void)
      | undefined,
    permissionRequest: undefined as ((contents: FakeWebContents, permission: string, callback: (ok: boolean) => void) => void) | undefined,
  };

  class FakeApp extends EventEmitter {
    isPackaged = false;
    name = 'switchboard';
    setName(name: string) {
      this.name = name;
    }
    getPath(name: string): string {
      const path = paths.get(name);
      if (path === undefined) throw new Error(`no path ${name}`);
      return path;
    }
    setPath(name: string, path: string) {
      paths.set(name, path);
    }
    getAppPath() {
      return options.appPath;
    }
    requestSingleInstanceLock() {
      return true;
    }
    whenReady() {
      return Promise.resolve();
    }
    quit() {
      state.quitRequests += 1;
      let prevented = false;
      this.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) state.quit = true;
    }
    exit(code = 0) {
      state.exitCodes.push(code);
    }
  }
  const app = new FakeApp();

  let nextId = 1;
  class FakeWebContents extends EventEmitter {
    readonly id = nextId++;
    readonly sent: unknown[][] = [];
    url = '';
    destroyed = false;
    windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
    send(channel: string, ...args: unknown[]) {
      this.sent.push([channel, ...args]);
    }
    isDestroyed() {
      return this.destroyed;
    }
    getURL() {
      return this.url;
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
    /** An IPC event as Electron would build it for this page's main frame. */
    ipcEvent(frameUrl = this.url, isMainFrame = true) {
      return { sender: this, senderFrame: { url: frameUrl, parent: isMainFrame ? null : {} } };
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    static readonly all: FakeBrowserWindow[] = [];
    static getAllWindows() {
      return FakeBrowserWindow.all.filter((w) => !w.destroyed);
    }
    readonly webContents = new FakeWebContents();
    visible = false;
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeBrowserWindow.all.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.webContents.url = url;
      setImmediate(() => this.emit('ready-to-show'));
      return Promise.resolve();
    }
    show() {
      this.visible = true;
    }
    isVisible() {
      return this.visible;
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
    hide() {
      this.visible = false;
    }
    close() {
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      if (prevented) return;
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.webContents.emit('destroyed');
      this.emit('closed');
    }
  }

  class FakeIpcMain extends EventEmitter {
    readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
    handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) {
      if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      this.handlers.set(channel, handler);
    }
    removeHandler(channel: string) {
      this.handlers.delete(channel);
    }
    invoke(channel: string, event: unknown, ...args: unknown[]) {
      const handler = this.handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return Promise.resolve(handler(event, ...args));
    }
  }
  const ipcMain = new FakeIpcMain();

  const session = {
    defaultSession: {
      webRequest: {
        onHeadersReceived(listener: typeof state.headersHook) {
          state.headersHook = listener;
        },
      },
      setPermissionRequestHandler(handler: typeof state.permissionRequest) {
        state.permissionRequest = handler;
      },
      setPermissionCheckHandler() {},
    },
  };

  class FakeTray extends EventEmitter {
    static readonly all: FakeTray[] = [];
    menu: FakeMenu | null = null;
    tooltip = '';
    destroyed = false;
    constructor(readonly icon: string) {
      super();
      FakeTray.all.push(this);
    }
    setContextMenu(menu: FakeMenu) {
      this.menu = menu;
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    destroy() {
      this.destroyed = true;
    }
  }
  class FakeMenu {
    constructor(readonly template: unknown[]) {}
    static buildFromTemplate(template: unknown[]) {
      return new FakeMenu(template);
    }
  }
  const notifications: { title: string; body: string }[] = [];
  class FakeNotification {
    constructor(readonly options: { title: string; body: string }) {}
    static isSupported() {
      return true;
    }
    show() {
      notifications.push({ title: this.options.title, body: this.options.body });
    }
  }
  // Reversible, so a test can tell the file holds no plain text.
  const safeStorage = {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (text: string) => Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (data: Buffer) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
  };

  const module = {
    Tray: FakeTray,
    Menu: FakeMenu,
    Notification: FakeNotification,
    safeStorage,
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    session,
    shell: { openExternal: async (url: string) => void state.openedExternally.push(url) },
    dialog: { showErrorBox: (title: string, message: string) => void state.errorBoxes.push([title, message]) },
  };
  return { module, app, ipcMain, BrowserWindow: FakeBrowserWindow, Tray: FakeTray, notifications, state, paths };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
