import { describe, expect, it } from 'vitest';
import { resolveAppLocation } from './app-location';

describe('app location', () => {
  const built = resolveAppLocation({ rendererDir: '/opt/Switchboard/resources/app.asar/out/renderer' });

  it('loads index.html from the renderer folder when built', () => {
    expect(built.entryUrl).toBe('file:///opt/Switchboard/resources/app.asar/out/renderer/index.html');
    expect(built.devOrigin).toBeNull();
  });

  it('counts only files inside the renderer folder as ours', () => {
    expect(built.isAppUrl(built.entryUrl)).toBe(true);
    expect(built.isAppUrl('file:///opt/Switchboard/resources/app.asar/out/renderer/assets/index-abc.js')).toBe(true);
    expect(built.isAppUrl(`${built.entryUrl}#/chat?x=1`)).toBe(true);
    expect(built.isAppUrl('file:///opt/Switchboard/resources/app.asar/out/renderer-evil/index.html')).toBe(false);
    expect(built.isAppUrl('file:///opt/Switchboard/resources/app.asar/out/renderer/../main/index.js')).toBe(false);
    expect(built.isAppUrl('file:///etc/passwd')).toBe(false);
    expect(built.isAppUrl('https://example.com/')).toBe(false);
    expect(built.isAppUrl('not a url')).toBe(false);
  });

  it('uses the dev server origin in development', () => {
    const dev = resolveAppLocation({ devServerUrl: 'http://localhost:5173', rendererDir: '/x' });
    expect(dev.entryUrl).toBe('http://localhost:5173/');
    expect(dev.devOrigin).toBe('http://localhost:5173');
    expect(dev.isAppUrl('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false);
    expect(dev.isAppUrl('file:///x/index.html')).toBe(false);
  });

  it('refuses a dev server URL that is not http(s)', () => {
    expect(() => resolveAppLocation({ devServerUrl: 'file:///tmp', rendererDir: '/x' })).toThrow(/http/);
  });
});
