import type { AppLocation } from './app-location';

/** What an IPC event tells us about who sent it (taken from `event.senderFrame`). */
export interface SenderInfo {
  /** null when the frame is gone (navigated away or destroyed) before we looked. */
  frameUrl: string | null;
  /** true for the top frame of its page; iframes never get the bridge. */
  isMainFrame: boolean;
  /** The webContents' id. */
  webContentsId: number;
}

/**
 * IPC is accepted only from the main frame of one of our windows, showing one of our pages.
 * Anything else (an iframe, a page that navigated somewhere, a webContents we didn't make)
 * is dropped, whatever it sends.
 */
export function isTrustedSender(sender: SenderInfo, trust: { location: AppLocation; webContentsIds: ReadonlySet<number> }): boolean {
  if (!trust.webContentsIds.has(sender.webContentsId)) return false;
  if (!sender.isMainFrame || sender.frameUrl === null) return false;
  return trust.location.isAppUrl(sender.frameUrl);
}
