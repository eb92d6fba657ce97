import { describe, expect, it } from 'vitest';
import { resolveAppLocation } from './app-location';
import { isTrustedSender } from './sender-validation';

describe('sender validation', () => {
  const location = resolveAppLocation({ rendererDir: '/app/out/renderer' });
  const trust = { location, webContentsIds: new Set([7]) };
  const page = 'file:///app/out/renderer/index.html';

  it('accepts our window main frame on our page', () => {
    expect(isTrustedSender({ frameUrl: page, isMainFrame: true, webContentsId: 7 }, trust)).toBe(true);
  });

  it('refuses iframes, foreign pages, gone frames and other webContents', () => {
    expect(isTrustedSender({ frameUrl: page, isMainFrame: false, webContentsId: 7 }, trust)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'https://evil.example/', isMainFrame: true, webContentsId: 7 }, trust)).toBe(false);
    expect(isTrustedSender({ frameUrl: null, isMainFrame: true, webContentsId: 7 }, trust)).toBe(false);
    expect(isTrustedSender({ frameUrl: page, isMainFrame: true, webContentsId: 8 }, trust)).toBe(false);
  });
});
