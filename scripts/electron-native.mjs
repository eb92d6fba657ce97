#!/usr/bin/env node
// Makes the Electron-ABI build of better-sqlite3 that the app loads through its `nativeBinding`
// option (src/main/native-binding.ts). node_modules keeps the Node build for the CLI and tests.
//
//   .electron-native/better-sqlite3/build/Release/better_sqlite3.node
//   .electron-native/better-sqlite3/.stamp.json   { electron, betterSqlite3, platform, arch }
//
// Run by `npm start`; skips at once when the stamp matches the installed versions. It first asks
// prebuild-install for better-sqlite3's published Electron binary, then compiles with node-gyp
// against Electron's headers. npm's `nodedir` setting is removed from the environment: it would
// make node-gyp build against Node's headers (what @electron/rebuild silently does here).
// SWITCHBOARD_SKIP_ELECTRON_NATIVE=1 skips it all.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const NATIVE_DIR = '.electron-native';
export const BINARY = join('build', 'Release', 'better_sqlite3.node');
export const STAMP = '.stamp.json';
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

/**
 * What to do, from what is on disk. Pure.
 * @param {{ electronVersion: string | undefined, betterSqlite3Version: string | undefined,
 *   platform: string, arch: string, stamp: unknown, binaryExists: boolean, force?: boolean, skip?: boolean }} input
 * @returns {{ action: 'skip' | 'build' | 'fail', reason: string, stamp?: object }}
 */
export function plan(input) {
  if (input.skip) return { action: 'skip', reason: 'SWITCHBOARD_SKIP_ELECTRON_NATIVE is set' };
  if (!input.electronVersion) return { action: 'fail', reason: 'electron is not installed (node_modules/electron)' };
  if (!input.betterSqlite3Version) return { action: 'fail', reason: 'better-sqlite3 is not installed' };
  const stamp = {
    electron: input.electronVersion,
    betterSqlite3: input.betterSqlite3Version,
    platform: input.platform,
    arch: input.arch,
  };
  const wanted = `Electron ${stamp.electron}, better-sqlite3 ${stamp.betterSqlite3}, ${stamp.platform}-${stamp.arch}`;
  if (input.force) return { action: 'build', reason: `rebuild asked for (${wanted})`, stamp };
  if (!input.binaryExists) return { action: 'build', reason: `no Electron build yet (${wanted})`, stamp };
  if (!sameStamp(input.stamp, stamp)) return { action: 'build', reason: `the build is for something else; want ${wanted}`, stamp };
  return { action: 'skip', reason: `up to date (${wanted})` };
}

function sameStamp(found, wanted) {
  if (found === null || typeof found !== 'object') return false;
  return Object.entries(wanted).every(([key, value]) => found[key] === value);
}

/**
 * The environment for the build: npm's nodedir (any spelling npm exports) removed, so
 * node-gyp fetches Electron's headers instead of using /usr's Node headers. Pure.
 * @param {Record<string, string | undefined>} env
 */
export function buildEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'));
}

/**
 * The commands to try in order, each run in the copied package folder. Pure.
 * @param {{ electronVersion: string, arch: string, nodeGyp: string[], prebuildInstall: string[] | undefined, home: string }} input
 * @returns {{ label: string, command: string[] }[]}
 */
export function buildSteps(input) {
  const steps = [];
  if (input.prebuildInstall) {
    steps.push({
      label: 'download the published Electron binary (prebuild-install)',
      command: [...input.prebuildInstall, '--runtime=electron', `--target=${input.electronVersion}`, `--arch=${input.arch}`, '--verbose'],
    });
  }
  steps.push({
    label: 'compile against Electron headers (node-gyp)',
    command: [
      ...input.nodeGyp,
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${input.electronVersion}`,
      `--arch=${input.arch}`,
      `--dist-url=${ELECTRON_HEADERS_URL}`,
      // Electron's headers apart from Node's, as @electron/rebuild keeps them
      `--devdir=${join(input.home, '.electron-gyp')}`,
    ],
  });
  return steps;
}

/** node-gyp: the project's, else npm's bundled one, else npx. */
export function findNodeGyp(root, env = process.env) {
  const candidates = [join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];
  if (env.npm_execpath) candidates.push(join(dirname(env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const found = candidates.find((path) => existsSync(path));
  return found ? [process.execPath, found] : ['npx', '--yes', 'node-gyp'];
}

function readVersion(root, name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function run(root) {
  const target = join(root, NATIVE_DIR, 'better-sqlite3');
  const source = join(root, 'node_modules', 'better-sqlite3');
  const args = new Set(process.argv.slice(2));
  const decision = plan({
    electronVersion: readVersion(root, 'electron'),
    betterSqlite3Version: readVersion(root, 'better-sqlite3'),
    platform: process.platform,
    arch: process.env.npm_config_arch || process.arch,
    stamp: readJson(join(target, STAMP)),
    binaryExists: existsSync(join(target, BINARY)),
    force: args.has('--force'),
    skip: process.env.SWITCHBOARD_SKIP_ELECTRON_NATIVE === '1',
  });
  const say = (message) => console.log(`[electron-native] ${message}`);
  if (decision.action === 'skip') {
    say(decision.reason);
    return 0;
  }
  if (decision.action === 'fail') {
    console.error(`[electron-native] ${decision.reason}; run npm install first.`);
    return 1;
  }

  say(`${decision.reason}: building in ${relative(root, target)}`);
  // a fresh copy of the package, without its Node build, so node_modules is never touched
  rmSync(target, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  cpSync(source, target, {
    recursive: true,
    filter: (path) => !['build', 'node_modules'].includes(relative(source, path).split(sep)[0] ?? ''),
  });

  const prebuildBin = join(root, 'node_modules', 'prebuild-install', 'bin.js');
  const steps = buildSteps({
    electronVersion: decision.stamp.electron,
    arch: decision.stamp.arch,
    nodeGyp: findNodeGyp(root),
    prebuildInstall: existsSync(prebuildBin) ? [process.execPath, prebuildBin] : undefined,
    home: homedir(),
  });
  const env = buildEnv(process.env);
  for (const step of steps) {
    say(`${step.label}…`);
    const [command, ...commandArgs] = step.command;
    const result = spawnSync(command, commandArgs, { cwd: target, env, stdio: 'inherit', shell: process.platform === 'win32' });
    if (result.status === 0 && existsSync(join(target, BINARY))) {
      writeFileSync(join(target, STAMP), `${JSON.stringify(decision.stamp, null, 2)}\n`);
      say(`ready: ${relative(root, join(target, BINARY))}`);
      return 0;
    }
    say(`${step.label} did not produce ${BINARY}${result.error ? ` (${result.error.message})` : ''}`);
  }
  console.error(
    [
      '[electron-native] Could not make an Electron build of better-sqlite3.',
      `  It needs either the published binary (network access to GitHub releases) or Electron's headers`,
      `  from ${ELECTRON_HEADERS_URL} plus a C++ toolchain (python3, make, g++ / Xcode CLT / MSVC build tools).`,
      '  The app cannot open its database without it. Fix the above and run `node scripts/electron-native.mjs --force`,',
      '  or set SWITCHBOARD_SKIP_ELECTRON_NATIVE=1 to start anyway.',
    ].join('\n'),
  );
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = run(join(dirname(fileURLToPath(import.meta.url)), '..'));
}
