/**
 * What closing the main window does. Pure, so every case is tested without Electron.
 * - `hide`: the window goes to the tray; the app keeps running (the gateway keeps serving).
 * - `close`: the window closes as usual (and the app quits when it was the last one, off macOS).
 */
export type CloseDecision = 'hide' | 'close';

export interface CloseContext {
  /** The user's setting (`settings.app.hideToTray`). */
  hideToTray: boolean;
  /** A tray icon exists (some Linux desktops have no tray: hiding there would lose the window). */
  trayAvailable: boolean;
  /** The app is quitting (menu Quit, Cmd+Q, the tray's Quit, an update): never hold it. */
  quitting: boolean;
}

export function decideClose(context: CloseContext): CloseDecision {
  if (context.quitting) return 'close';
  return context.hideToTray && context.trayAvailable ? 'hide' : 'close';
}
