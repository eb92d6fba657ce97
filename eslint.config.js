// @ts-check
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The import rules of DESIGN.md, enforced. Each zone: files in `target` may not import from `from`
 * (except the `except` paths, relative to `from`).
 */
const zones = [
  // shared is pure: it imports nothing outside shared/ (zod only).
  { target: './src/shared', from: './src', except: ['./shared'], message: 'shared/ imports only shared/' },
  // core never imports electron or any UI host.
  { target: './src/core', from: './src', except: ['./core', './shared'], message: 'core/ imports only core/ and shared/' },
  // the router is pure policy: no SDK, no db, no engine, no services.
  {
    target: './src/core/router',
    from: './src/core',
    except: ['./router', './providers/types.ts', './catalog'],
    message: 'core/router is pure: shared/llm, providers/types and catalog only',
  },
  // the store and engine stand alone inside core.
  { target: './src/core/store', from: './src/core', except: ['./store'], message: 'core/store imports better-sqlite3 and shared only' },
  { target: './src/core/engine', from: './src/core', except: ['./engine'], message: 'core/engine imports node-llama-cpp and shared/llm only' },
  // downloads: HTTP into .part files and the job queue; the store's repository is its one core dependency.
  { target: './src/core/downloads', from: './src/core', except: ['./downloads', './store'], message: 'core/downloads imports undici, node built-ins, shared and core/store only' },
  // the Hugging Face client stands alone; fit badges from file sizes are pure.
  { target: './src/core/hub', from: './src/core', except: ['./hub'], message: 'core/hub imports @huggingface/hub, @huggingface/gguf and shared only' },
  { target: './src/core/models/fit', from: './src/core', except: ['./models/fit'], message: 'core/models/fit is pure: shared only' },
  // secrets stand alone: the store and the env it fills, nothing of the rest of core.
  { target: './src/core/secrets', from: './src', except: ['./core/secrets'], message: 'core/secrets imports node, write-file-atomic and zod only' },
  { target: './src/core/attachments', from: './src/core', except: ['./attachments'], message: 'core/attachments imports node: built-ins and shared only' },
  // the gateway is HTTP over the core's routed caller: no store, engine, router or provider SDK of its own (its testing/ kit may open the store).
  {
    target: './src/core/gateway/{*.ts,openai/**,anthropic/**}',
    from: './src/core',
    except: ['./gateway', './params', './services', './config', './app.ts'],
    message: 'core/gateway imports core/params, core/services, core/config, the Core type and shared only',
  },
  // hosts sit on top of core; core never reaches back.
  { target: './src/server', from: './src', except: ['./server', './core', './shared'], message: 'server/ imports core/ and shared/' },
  { target: './src/cli', from: './src', except: ['./cli', './core', './server', './shared'], message: 'cli/ imports core/, server/ and shared/' },
  { target: './src/main', from: './src', except: ['./main', './core', './shared'], message: 'main/ imports core/ and shared/' },
  { target: './src/preload', from: './src', except: ['./preload', './shared/contract'], message: 'preload/ imports only shared/contract' },
  { target: './src/renderer', from: './src', except: ['./renderer', './shared'], message: 'renderer/ imports only its own modules and shared/' },
];

/** Native and shell packages that only one place may import; everything else under src/ is refused them. */
const owners = {
  electron: ['src/main/**', 'src/preload/**'],
  'node-llama-cpp': ['src/core/engine/**'],
  'better-sqlite3': ['src/core/store/**'],
};
const restrictedImports = (except) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: Object.entries(owners)
        .filter(([name]) => name !== except)
        .map(([name, where]) => ({ name, message: `${name} may be imported only in ${where.join(', ')}` })),
    },
  ],
});
const packageOwnership = [
  { files: ['src/**/*.{ts,tsx}'], rules: restrictedImports(undefined) },
  ...Object.entries(owners).map(([name, files]) => ({ files, rules: restrictedImports(name) })),
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: Object.keys(owners), patterns: [{ group: ['node:*'], message: 'the renderer never imports Node' }] },
      ],
    },
  },
  { files: ['src/**/*.test.{ts,tsx}'], rules: { 'no-restricted-imports': 'off' } },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'reports/**', 'test-results/**', '.electron-native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Tests may reach across core folders for the test kit (the GGUF writer, a real engine); process boundaries still hold.
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: zones.filter((z) => !z.target.startsWith('./src/core/')) }] },
  },
  {
    files: ['bin/**/*.mjs', 'scripts/**/*.mjs', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
  ...packageOwnership,
);
