import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

const root = import.meta.dirname;
const fromRoot = (path: string) => resolve(root, path);

/**
 * The three Electron bundles. Main and the engine worker are ESM (package `type: module`)
 * and leave every runtime dependency to node_modules: node-llama-cpp and better-sqlite3
 * are native and must never be bundled. The preload is CJS: a sandboxed preload is run
 * as a classic script and cannot be an ES module.
 */
export default defineConfig({
  main: {
    build: {
      outDir: fromRoot('out/main'),
      // every `dependencies` entry stays external (the electron-vite default, spelled out)
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: fromRoot('src/main/index.ts'),
          // the engine's child process: main forks out/main/engine-worker.js with ELECTRON_RUN_AS_NODE=1
          'engine-worker': fromRoot('src/core/engine/worker.ts'),
        },
        external: ['node-llama-cpp', /^node-llama-cpp\//, /^@node-llama-cpp\//, 'better-sqlite3'],
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: fromRoot('out/preload'),
      // bundle everything but electron itself: a sandboxed preload can't require packages
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  // the renderer's own config (root, base, outDir, plugins) is the single source of truth
  renderer: rendererConfig,
});
