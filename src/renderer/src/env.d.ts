import type { PreloadBridge } from '../../shared/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the page is served by `switchboard serve`. */
    switchboard?: PreloadBridge;
  }
}

export {};
