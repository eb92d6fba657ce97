#!/usr/bin/env node
// Launcher for `npx switchboard` / `node bin/switchboard.mjs`: runs the TypeScript CLI through tsx.
// Paths are resolved from this file, so it works from any cwd.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.node.json', import.meta.url)) });
await import('../src/cli/main.ts');
