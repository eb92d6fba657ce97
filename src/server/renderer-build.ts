import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Vite from 'vite';

/** The repository root, found from this file, so `serve` works from any cwd. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where `vite.renderer.config.ts` writes the renderer build. */
export const DEFAULT_RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer');

export interface EnsureRendererOptions {
  rendererDir?: string;
  configFile?: string;
  /** Where the one-line note goes; stdout stays reserved for the listening line. */
  log: (line: string) => void;
}

/**
 * A fresh clone has no `out/renderer`; build it once so `npx switchboard serve` works
 * right after `npm install`. Vite is loaded only then (it is a dev dependency).
 */
export async function ensureRendererBuild(options: EnsureRendererOptions): Promise<string> {
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (existsSync(join(rendererDir, 'index.html'))) return rendererDir;

  const configFile = options.configFile ?? join(REPO_ROOT, 'vite.renderer.config.ts');
  options.log(`switchboard: no renderer build in ${rendererDir}; building it once with vite (npm run build:renderer)…`);
  let vite: typeof Vite;
  try {
    vite = await import('vite');
  } catch (error) {
    throw new Error(
      `the renderer build is missing and vite is not installed (${(error as Error).message}). ` +
        'Run "npm install" (with dev dependencies), then "npm run build:renderer".',
    );
  }
  // logLevel 'warn': vite prints info lines to stdout, which belongs to the listening line.
  await vite.build({ configFile, logLevel: 'warn' });
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`vite finished but ${join(rendererDir, 'index.html')} is still missing; check ${configFile} (build.outDir).`);
  }
  return rendererDir;
}
