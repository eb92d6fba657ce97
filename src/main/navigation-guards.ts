import type { AppLocation } from './app-location';

export type NavigationDecision = { action: 'allow' } | { action: 'deny'; openExternal?: string };

/** Only http(s) ever leaves the app, and only into the system browser. */
export function externalTarget(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * will-navigate / will-redirect: the window stays on the app's own pages. A link to the
 * web goes to the system browser instead; any other scheme (file:, javascript:, custom
 * handlers) is refused outright.
 */
export function decideNavigation(url: string, location: AppLocation): NavigationDecision {
  if (location.isAppUrl(url)) return { action: 'allow' };
  const external = externalTarget(url);
  return external === undefined ? { action: 'deny' } : { action: 'deny', openExternal: external };
}

/** window.open and target=_blank: never a new Electron window; the web opens in the browser. */
export function decideWindowOpen(url: string): NavigationDecision {
  const external = externalTarget(url);
  return external === undefined ? { action: 'deny' } : { action: 'deny', openExternal: external };
}

/** Permissions the page may have. It needs none but writing to the clipboard (copy buttons). */
const GRANTED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function decidePermission(permission: string, requestingUrl: string, location: AppLocation): boolean {
  return GRANTED_PERMISSIONS.has(permission) && location.isAppUrl(requestingUrl);
}
