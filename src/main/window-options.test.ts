import { describe, expect, it } from 'vitest';
import { WINDOW_BACKGROUND, createWindowOptions } from './window-options';

describe('window options', () => {
  it('isolates and sandboxes the renderer', () => {
    const { webPreferences } = createWindowOptions({ preloadPath: '/app/out/preload/index.cjs', platform: 'linux' });
    expect(webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('stays hidden until ready-to-show, on the app background, at a usable size', () => {
    const options = createWindowOptions({ preloadPath: '/p', platform: 'linux' });
    expect(options.show).toBe(false);
    expect(options.backgroundColor).toBe(WINDOW_BACKGROUND);
    expect(options.width).toBeGreaterThanOrEqual(1024);
    expect(options.minWidth).toBeLessThan(options.width ?? 0);
  });

  it('sets the window icon except on macOS', () => {
    expect(createWindowOptions({ preloadPath: '/p', platform: 'linux', iconPath: '/i.png' }).icon).toBe('/i.png');
    expect(createWindowOptions({ preloadPath: '/p', platform: 'darwin', iconPath: '/i.png' }).icon).toBeUndefined();
  });
});
