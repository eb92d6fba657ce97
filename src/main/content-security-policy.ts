import type { AppLocation } from './app-location';

/**
 * The Content-Security-Policy of the app's pages. The renderer talks to the app only
 * through the preload bridge, so it needs no network: scripts only from the app itself
 * (no inline, no eval, no remote), no plugins, no frames, connections only to itself.
 * In development Vite's dev server needs its websocket (HMR) and an inline preamble
 * (React refresh), and only there.
 */
export function buildContentSecurityPolicy(location: Pick<AppLocation, 'devOrigin'>): string {
  const dev = location.devOrigin;
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': dev ? ["'self'", "'unsafe-inline'", dev] : ["'self'"],
    // React sets style attributes; CSS-in-JS may add <style>. Styles can't run code.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'media-src': ["'self'", 'blob:'],
    'connect-src': dev ? ["'self'", dev, dev.replace(/^http/, 'ws')] : ["'self'"],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'child-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

export type ResponseHeaders = Record<string, string[] | string>;

/**
 * Headers for a response: the app's own pages get our policy (replacing any the server
 * sent, whatever its case), everything else is left as it came.
 */
export function withContentSecurityPolicy(
  url: string,
  headers: ResponseHeaders | undefined,
  location: AppLocation,
): ResponseHeaders | undefined {
  if (!location.isAppUrl(url)) return headers;
  const kept = Object.fromEntries(
    Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
  );
  return { ...kept, 'Content-Security-Policy': [buildContentSecurityPolicy(location)] };
}
