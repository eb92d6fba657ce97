import { pathToFileURL } from 'node:url';

/**
 * Where the app's own pages live, and the test for "is this URL one of ours".
 * In development electron-vite serves the renderer over http (ELECTRON_RENDERER_URL);
 * built, it is a folder of files. Everything else (CSP, navigation, IPC trust) asks this.
 */
export interface AppLocation {
  /** What the window loads. */
  entryUrl: string;
  /** The dev server origin (`http://localhost:5173`), or null when loading files. */
  devOrigin: string | null;
  isAppUrl(url: string): boolean;
}

export function resolveAppLocation(options: { devServerUrl?: string | undefined; rendererDir: string }): AppLocation {
  if (options.devServerUrl) {
    const dev = new URL(options.devServerUrl);
    if (dev.protocol !== 'http:' && dev.protocol !== 'https:') {
      throw new Error(`renderer dev server must be http(s), got ${options.devServerUrl}`);
    }
    return {
      entryUrl: dev.href,
      devOrigin: dev.origin,
      isAppUrl: (url) => parse(url)?.origin === dev.origin,
    };
  }
  // a trailing slash so that `/out/renderer-evil/` is not inside `/out/renderer`
  const folder = pathToFileURL(options.rendererDir).href.replace(/\/?$/, '/');
  const entryUrl = new URL('index.html', folder).href;
  return {
    entryUrl,
    devOrigin: null,
    isAppUrl: (url) => {
      const parsed = parse(url);
      if (parsed?.protocol !== 'file:') return false;
      // compare without query and hash; `new URL` has already resolved any `..`
      return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.startsWith(folder);
    },
  };
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
