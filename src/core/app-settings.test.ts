import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIWire } from '../../test/wire/openai-wire';
import type { WireServer } from '../../test/wire/scenario';
import { type ProviderTestResult, type ProvidersList, type Result, type SettingsView } from '../shared/contract';
import { type Core, createCore } from './app';

/**
 * The settings routes through the real core: switchboard.yaml edited in place (comments kept),
 * keys in the 0600 secrets file, the registry and `providers.test` using a key typed in settings
 * against an OpenAI wire server, and the key in no answer and no log line.
 */
const KEY = 'sk-lab-SETTINGS-abcdefghijklmnop4321';
const ENV_KEY = 'sk-env-ENVIRONMENT-zyxwvutsrqpo0000';
const USER_FILE = `# my config: hand-written, keep this comment
providers:
  try: { type: mock, response: "hi" }   # the mock
groups:
  fast:
    deployments:
      - { provider: try, model: mock-1 }
# budgets: spend limits
budgets: []
`;

let dir: string;
let core: Core;
let wire: WireServer;
const logs: string[] = [];
const events: [string, unknown][] = [];
const answers: string[] = [];

async function call<T>(route: string, input: unknown = {}): Promise<Result<T>> {
  const result = (await core.dispatcher.request(route, input, 'test')) as Result<T>;
  answers.push(JSON.stringify(result));
  return result;
}
async function request<T>(route: string, input: unknown = {}): Promise<T> {
  const result = await call<T>(route, input);
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  return result.data;
}
const yaml = () => readFileSync(join(dir, 'switchboard.yaml'), 'utf8');

beforeAll(async () => {
  wire = await startOpenAIWire();
  dir = mkdtempSync(join(tmpdir(), 'sb-core-settings-'));
  writeFileSync(join(dir, 'switchboard.yaml'), USER_FILE);
  core = await createCore({
    dataDir: dir,
    engineOptions: { threads: 1 },
    env: { PATH: '/usr/bin', ENVLAB_API_KEY: ENV_KEY },
    log: (level, message) => logs.push(`${level}: ${message}`),
  });
  core.onEvent((name, data) => events.push([name, data]));
});
afterAll(async () => {
  await core?.dispose();
  await wire?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('settings through the core', () => {
  it('adds a provider with a key: the key goes to the 0600 store, the file gets ${NAME}, the registry uses it', async () => {
    const view = await request<SettingsView>('settings.provider.save', {
      name: 'lab',
      type: 'openai-compatible',
      values: { baseURL: wire.baseURL, timeoutMs: '30000' },
      apiKey: KEY,
    });
    const lab = view.providers.find((p) => p.name === 'lab');
    expect(lab).toMatchObject({
      type: 'openai-compatible',
      values: { baseURL: wire.baseURL, timeoutMs: 30000 },
      key: { set: true, hint: 'sk-…4321', source: 'store', secretName: 'LAB_API_KEY' },
      problem: null,
    });
    expect(yaml()).toContain('# my config: hand-written, keep this comment');
    expect(yaml()).toContain('# the mock');
    expect(yaml()).toContain('apiKey: ${LAB_API_KEY}');
    expect(yaml()).not.toContain(KEY);
    const secretsFile = join(dir, 'secrets.json');
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(secretsFile, 'utf8'))).toEqual({ version: 1, secrets: { LAB_API_KEY: KEY } });

    const [tested] = await request<ProviderTestResult[]>('providers.test', { name: 'lab' });
    expect(tested).toMatchObject({ name: 'lab', ok: true, error: null });
    expect(wire.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    const list = await request<ProvidersList>('providers.list');
    expect(list.providers.find((p) => p.name === 'lab')).toMatchObject({ keySet: true, keyHint: 'sk-…4321' });
  });

  it('edits a provider without retyping its key, and a wrong key fails the test without showing it', async () => {
    await request('settings.provider.save', { name: 'lab', type: 'openai-compatible', values: { baseURL: wire.baseURL, timeoutMs: null } });
    expect(yaml()).toContain('apiKey: ${LAB_API_KEY}');
    expect(yaml()).not.toContain('timeoutMs');
    wire.enqueue({ fault: { kind: 'status', status: 401 } });
    const [tested] = await request<ProviderTestResult[]>('providers.test', { name: 'lab' });
    expect(tested).toMatchObject({ ok: false, error: { kind: 'auth' } });
  });

  it('stores a key under another name when the environment already sets that name', async () => {
    const view = await request<SettingsView>('settings.provider.save', { name: 'envlab', type: 'openai-compatible', values: { baseURL: wire.baseURL }, apiKey: KEY });
    expect(view.providers.find((p) => p.name === 'envlab')?.key).toEqual({ set: true, hint: 'sk-…4321', source: 'store', secretName: 'SWITCHBOARD_ENVLAB_API_KEY' });
    expect(yaml()).toContain('apiKey: ${SWITCHBOARD_ENVLAB_API_KEY}');
    await request('settings.provider.remove', { name: 'envlab' });
    // its stored key went with it
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).secrets).toEqual({ LAB_API_KEY: KEY });
  });

  it('refuses invalid edits with the path, leaving the file and the store as they were', async () => {
    const before = yaml();
    const bad = await call('settings.provider.save', { name: 'broken', type: 'openai-compatible', values: { baseURL: 'not a url' }, apiKey: KEY });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'the change was not saved: providers.broken.baseURL: expected a URL (http:// or https://)' } });
    expect(yaml()).toBe(before);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).secrets).toEqual({ LAB_API_KEY: KEY });

    const inUse = await call('settings.provider.remove', { name: 'try' });
    expect(inUse).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', data: { issues: [{ path: 'groups.fast.deployments[0].provider' }] } } });
    const unknownField = await call('settings.provider.save', { name: 'lab', type: 'openai-compatible', values: { baseUrl: 'http://x' } });
    expect(unknownField).toMatchObject({ ok: false, error: { message: expect.stringContaining('providers.lab.baseUrl: not a setting of openai-compatible providers') } });
    const fallback = await call('settings.group.save', { name: 'fast', deployments: [{ provider: 'try', model: 'mock-1' }], fallbacks: ['nope'] });
    expect(fallback).toMatchObject({ ok: false, error: { message: 'the change was not saved: groups.fast.fallbacks[0]: unknown group "nope"; groups: fast' } });
    expect(yaml()).toBe(before);
  });

  it('sets, changes and removes budgets in the file, keeping its comments', async () => {
    let view = await request<SettingsView>('settings.budget.save', { scope: 'global', daily: 5, monthly: null, onExceeded: 'warn' });
    view = await request<SettingsView>('settings.budget.save', { scope: 'provider:lab', daily: null, monthly: 20, onExceeded: 'block' });
    expect(view.budgets).toEqual([
      { scope: 'global', daily: 5, monthly: null, onExceeded: 'warn' },
      { scope: 'provider:lab', daily: null, monthly: 20, onExceeded: 'block' },
    ]);
    view = await request<SettingsView>('settings.budget.save', { scope: 'global', daily: 7.5, monthly: 100, onExceeded: null });
    expect(view.budgets[0]).toEqual({ scope: 'global', daily: 7.5, monthly: 100, onExceeded: null });
    expect(yaml()).toContain('# budgets: spend limits');
    expect(yaml()).toContain('- { scope: global, daily: 7.5, monthly: 100 }');
    const negative = await call('settings.budget.save', { scope: 'bogus', daily: 1, monthly: null, onExceeded: null });
    expect(negative).toMatchObject({ ok: false, error: { message: expect.stringContaining('budgets[2].scope: expected global, provider:NAME, group:NAME or model:ID') } });
    view = await request<SettingsView>('settings.budget.remove', { scope: 'provider:lab' });
    expect(view.budgets.map((b) => b.scope)).toEqual(['global']);
  });

  it('edits groups, engine defaults and model folders', async () => {
    let view = await request<SettingsView>('settings.group.save', {
      name: 'smart',
      strategy: 'lowest-latency',
      deployments: [{ provider: 'lab', model: 'gpt-4o-mini' }, { provider: 'try', model: 'mock-1', weight: 2 }],
    });
    view = await request<SettingsView>('settings.group.save', { name: 'fast', strategy: 'ordered', deployments: [{ provider: 'try', model: 'mock-1' }], fallbacks: ['smart'] });
    expect(view.groups).toEqual([
      { name: 'fast', strategy: 'ordered', deployments: [{ provider: 'try', model: 'mock-1' }], fallbacks: ['smart'] },
      { name: 'smart', strategy: 'lowest-latency', deployments: [{ provider: 'lab', model: 'gpt-4o-mini' }, { provider: 'try', model: 'mock-1', weight: 2 }], fallbacks: [] },
    ]);
    expect(yaml()).toContain('- { provider: lab, model: gpt-4o-mini }');
    expect(yaml()).toContain('fallbacks: [ smart ]');

    view = await request<SettingsView>('settings.engine.save', { threads: 2, gpu: false, contextSize: 'auto' });
    expect(view.engine).toEqual({ gpu: false, threads: 2, contextSize: 'auto', gpuLayers: null, flashAttention: null });
    const badThreads = await call('settings.engine.save', { threads: 0 });
    expect(badThreads).toMatchObject({ ok: false, error: { message: 'the change was not saved: engine.threads: expected at least 1' } });

    mkdirSync(join(dir, 'more-models'));
    view = await request<SettingsView>('settings.folders.save', { folders: ['more-models', '/srv/gguf-not-here'] });
    expect(view.modelFolders).toEqual(['more-models', '/srv/gguf-not-here']);
    // The view says which entries the library will skip: a relative one is under the data dir.
    expect(view.missingModelFolders).toEqual(['/srv/gguf-not-here']);
    expect(view.dataDir).toBe(dir);
    expect(view.configPath).toBe(join(dir, 'switchboard.yaml'));
    expect(yaml()).toContain('# my config: hand-written, keep this comment');
  });

  it('shares the active model and the app settings, and tells the hosts', async () => {
    expect(await request('settings.active.get')).toEqual({ ref: null });
    expect(await request('settings.active.set', { ref: 'fast' })).toEqual({ ref: 'fast' });
    expect(events).toContainEqual(['settings.active.changed', { ref: 'fast' }]);
    const view = await request<SettingsView>('settings.app.save', { hideToTray: true });
    expect(view.app).toEqual({ hideToTray: true, activeModel: 'fast' });
    expect(events).toContainEqual(['settings.app.changed', { hideToTray: true, activeModel: 'fast' }]);
    expect(JSON.parse(readFileSync(join(dir, 'app-settings.json'), 'utf8'))).toEqual({ hideToTray: true, activeModel: 'fast' });
  });

  it('never puts a key in an answer or a log line', async () => {
    await request('settings.get');
    await request('providers.list');
    expect(answers.length).toBeGreaterThan(10);
    for (const text of [...answers, ...logs]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(ENV_KEY);
      expect(text).not.toContain(KEY.slice(4, -4));
    }
  });

  it('finds a stored key again after a restart', async () => {
    await core.dispose();
    core = await createCore({ dataDir: dir, engineOptions: { threads: 1 }, env: { PATH: '/usr/bin' } });
    const view = await request<SettingsView>('settings.get');
    expect(view.providers.find((p) => p.name === 'lab')?.key).toMatchObject({ set: true, source: 'store' });
    expect(view.app.activeModel).toBe('fast');
    expect(existsSync(join(dir, 'secrets.json'))).toBe(true);
  });
});

describe('a bad switchboard.yaml at startup', () => {
  it('says the app runs without it (there is no last good config yet), naming the file and the fault', async () => {
    const badDir = mkdtempSync(join(tmpdir(), 'sb-badconfig-'));
    const warnings: string[] = [];
    writeFileSync(join(badDir, 'switchboard.yaml'), 'providers:\n  lab:\n    type: opneai\n');
    const bad = await createCore({ dataDir: badDir, engineOptions: { threads: 1 }, env: { PATH: '/usr/bin' }, log: (level, message) => level === 'warn' && warnings.push(message) });
    try {
      const warning = warnings.find((w) => w.includes('has problems'));
      expect(warning).toContain(join(badDir, 'switchboard.yaml'));
      expect(warning).toContain('running without it (only the local engine) until it is fixed');
      expect(warning).not.toContain('last good config');
      expect(warning).toContain('opneai');
    } finally {
      await bad.dispose();
      rmSync(badDir, { recursive: true, force: true });
    }
  });
});
