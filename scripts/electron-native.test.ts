import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_HEADERS_URL, buildEnv, buildSteps, plan } from './electron-native.mjs';

const installed = {
  electronVersion: '41.7.1',
  betterSqlite3Version: '12.11.1',
  platform: 'linux',
  arch: 'x64',
};
const stamp = { electron: '41.7.1', betterSqlite3: '12.11.1', platform: 'linux', arch: 'x64' };

describe('electron-native plan', () => {
  it('skips when the binary exists and its stamp matches what is installed', () => {
    expect(plan({ ...installed, stamp, binaryExists: true }).action).toBe('skip');
  });

  it('builds when the binary is missing, or was made for another Electron, package or arch', () => {
    expect(plan({ ...installed, stamp, binaryExists: false })).toMatchObject({ action: 'build', stamp });
    expect(plan({ ...installed, stamp: null, binaryExists: true }).action).toBe('build');
    expect(plan({ ...installed, stamp: { ...stamp, electron: '40.1.0' }, binaryExists: true }).action).toBe('build');
    expect(plan({ ...installed, stamp: { ...stamp, betterSqlite3: '12.6.2' }, binaryExists: true }).action).toBe('build');
    expect(plan({ ...installed, arch: 'arm64', stamp, binaryExists: true }).action).toBe('build');
    expect(plan({ ...installed, stamp, binaryExists: true, force: true }).action).toBe('build');
  });

  it('fails clearly when electron or better-sqlite3 is not installed, and can be skipped', () => {
    expect(plan({ ...installed, electronVersion: undefined, stamp: null, binaryExists: false })).toMatchObject({
      action: 'fail',
      reason: expect.stringMatching(/electron/),
    });
    expect(plan({ ...installed, betterSqlite3Version: undefined, stamp: null, binaryExists: false }).action).toBe('fail');
    expect(plan({ ...installed, stamp: null, binaryExists: false, skip: true }).action).toBe('skip');
  });
});

describe('electron-native build', () => {
  it("removes npm's nodedir, which would force Node's headers", () => {
    const env = buildEnv({ npm_config_nodedir: '/usr', NPM_CONFIG_NODEDIR: '/usr', PATH: '/bin', npm_config_cache: '/c' });
    expect(env).toEqual({ PATH: '/bin', npm_config_cache: '/c' });
  });

  it('tries the published binary, then node-gyp against Electron headers', () => {
    const steps = buildSteps({
      electronVersion: '41.7.1',
      arch: 'x64',
      nodeGyp: ['node', 'node-gyp.js'],
      prebuildInstall: ['node', 'prebuild-install.js'],
      home: '/home/u',
    });
    expect(steps.map((s) => s.command[1])).toEqual(['prebuild-install.js', 'node-gyp.js']);
    expect(steps[0]?.command).toEqual(expect.arrayContaining(['--runtime=electron', '--target=41.7.1']));
    expect(steps[1]?.command).toEqual(
      expect.arrayContaining([
        'rebuild',
        '--runtime=electron',
        '--target=41.7.1',
        '--arch=x64',
        `--dist-url=${ELECTRON_HEADERS_URL}`,
        `--devdir=${join('/home/u', '.electron-gyp')}`,
      ]),
    );
    expect(buildSteps({ electronVersion: '41.7.1', arch: 'x64', nodeGyp: ['npx', 'node-gyp'], prebuildInstall: undefined, home: '/h' })).toHaveLength(1);
  });
});
