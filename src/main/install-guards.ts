import { type App, type Session, shell } from 'electron';
import type { AppLocation } from './app-location';
import { withContentSecurityPolicy } from './content-security-policy';
import { type NavigationDecision, decideNavigation, decidePermission, decideWindowOpen } from './navigation-guards';

/**
 * Wires the pure guards into Electron, for every webContents the app will ever create
 * (windows, devtools, anything): navigation, redirects, window.open, <webview>,
 * permissions, and the CSP header on the app's pages. Thin on purpose; the decisions
 * are in navigation-guards.ts and content-security-policy.ts, which are tested.
 */
export function installGuards(app: App, session: Session, location: AppLocation): void {
  const act = (decision: NavigationDecision) => {
    if (decision.action === 'deny' && decision.openExternal !== undefined) {
      void shell.openExternal(decision.openExternal);
    }
  };

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      const decision = decideNavigation(event.url, location);
      if (decision.action === 'deny') event.preventDefault();
      act(decision);
    });
    contents.on('will-redirect', (event) => {
      const decision = decideNavigation(event.url, location);
      if (decision.action === 'deny') event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      act(decideWindowOpen(url));
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  session.setPermissionRequestHandler((contents, permission, callback) =>
    callback(decidePermission(permission, contents.getURL(), location)),
  );
  session.setPermissionCheckHandler((contents, permission) =>
    contents !== null && decidePermission(permission, contents.getURL(), location),
  );
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = withContentSecurityPolicy(details.url, details.responseHeaders, location);
    callback(responseHeaders === undefined ? {} : { responseHeaders });
  });
}
