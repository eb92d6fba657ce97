import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { type Plugin, type UserConfig, defineConfig } from 'vite';

const root = import.meta.dirname;

/**
 * The dev server (electron-vite dev, or `vite` alone) injects inline scripts for React
 * Fast Refresh and talks HMR over a WebSocket to its own port. The shipped CSP forbids
 * both, so in serve mode only we loosen the meta tag; builds keep it strict.
 */
function relaxCspInDev(): Plugin {
  return {
    name: 'switchboard:relax-csp-in-dev',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(
        /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/,
        `$1default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: http://localhost:* http://127.0.0.1:*; img-src 'self' data:$2`,
      );
    },
  };
}

/**
 * The renderer build. electron.vite.config.ts reuses this object as its `renderer` entry,
 * and `npm run build:renderer` builds it alone for `switchboard serve` and the e2e tests.
 */
export const rendererConfig: UserConfig = {
  root: resolve(root, 'src/renderer'),
  // relative asset URLs: the same build is loaded from file:// in Electron and from http:// in serve
  base: './',
  plugins: [react(), relaxCspInDev()],
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // electron-vite defaults renderers to unminified; keep both builds the same, small one
    minify: true,
  },
  server: { strictPort: false },
};

export default defineConfig(rendererConfig);
