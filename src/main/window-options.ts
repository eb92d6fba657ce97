import type { BrowserWindowConstructorOptions } from 'electron';

/** The window's background before the renderer paints: the app's dark surface, no white flash. */
export const WINDOW_BACKGROUND = '#0f1115';

export interface WindowOptionsInput {
  preloadPath: string;
  platform?: NodeJS.Platform;
  /** Linux and Windows take the window icon from here; macOS uses the bundle's. */
  iconPath?: string;
}

/**
 * The main window. The renderer is treated as untrusted web content: isolated, sandboxed,
 * no Node. It reaches the app only through the preload's bridge.
 */
export function createWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const platform = input.platform ?? process.platform;
  return {
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Switchboard',
    backgroundColor: WINDOW_BACKGROUND,
    // shown on ready-to-show, so the user never sees an empty frame
    show: false,
    autoHideMenuBar: platform !== 'darwin',
    ...(input.iconPath !== undefined && platform !== 'darwin' ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  };
}
