import { describe, expect, it } from 'vitest';
import { resolveAppLocation } from './app-location';
import { decideNavigation, decidePermission, decideWindowOpen, externalTarget } from './navigation-guards';

describe('navigation guards', () => {
  const location = resolveAppLocation({ rendererDir: '/app/out/renderer' });
  const page = 'file:///app/out/renderer/index.html';

  it('allows navigation within the app', () => {
    expect(decideNavigation(`${page}#/models`, location)).toEqual({ action: 'allow' });
  });

  it('sends web links to the system browser instead of navigating', () => {
    expect(decideNavigation('https://huggingface.co/models', location)).toEqual({
      action: 'deny',
      openExternal: 'https://huggingface.co/models',
    });
    expect(decideNavigation('http://example.com', location)).toEqual({ action: 'deny', openExternal: 'http://example.com/' });
  });

  it('refuses other schemes and other files outright', () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-settings:', 'data:text/html,x', '']) {
      expect(decideNavigation(url, location)).toEqual({ action: 'deny' });
    }
  });

  it('never opens a window; web links go to the browser', () => {
    expect(decideWindowOpen('https://example.com/docs')).toEqual({ action: 'deny', openExternal: 'https://example.com/docs' });
    expect(decideWindowOpen(page)).toEqual({ action: 'deny' });
    expect(decideWindowOpen('file:///etc/passwd')).toEqual({ action: 'deny' });
  });

  it('normalizes what it hands to the browser', () => {
    expect(externalTarget('HTTPS://Example.COM/a b')).toBe('https://example.com/a%20b');
    expect(externalTarget('mailto:a@b.c')).toBeUndefined();
  });

  it('grants the app pages clipboard writes and nothing else', () => {
    expect(decidePermission('clipboard-sanitized-write', page, location)).toBe(true);
    expect(decidePermission('clipboard-sanitized-write', 'https://evil.example/', location)).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      expect(decidePermission(permission, page, location)).toBe(false);
    }
  });
});
