import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../../shared/contract';
import type { ModelsList, SelectableModel } from '../../../../shared/domain';
import { createClient } from '../../ipc';
import { createFakeTransport } from '../../ipc/testing/fake-transport';
import { createAppStores } from '../../stores/app-stores';
import { testOutcome } from './settings-store';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

const model = (ref: string): SelectableModel => {
  const [provider = '', modelId = ''] = ref.split('/');
  return {
    ref,
    provider,
    providerType: provider === 'local' ? 'local' : 'mock',
    modelId,
    displayName: modelId,
    source: provider === 'local' ? 'local' : 'offered',
    contextWindow: null,
    maxOutputTokens: null,
    prices: null,
    capabilities: { vision: null, tools: null, reasoning: null },
    runsLocally: true,
    error: null,
    file: null,
  };
};
const modelsList: ModelsList = {
  providers: [
    { provider: 'local', providerType: 'local', builtIn: true, source: 'local', models: [model('local/tiny')], error: null, latencyMs: null },
    { provider: 'try', providerType: 'mock', builtIn: false, source: 'offered', models: [model('try/mock-1')], error: null, latencyMs: null },
  ],
};

const view = (over: Partial<SettingsView> = {}): SettingsView => ({
  dataDir: '/data',
  configPath: '/data/switchboard.yaml',
  configErrors: null,
  secrets: { backend: '/data/secrets.json (readable by you only)', problem: null },
  providerTypes: [],
  providers: [],
  groups: [],
  budgets: [],
  engine: { gpu: null, threads: null, contextSize: null, gpuLayers: null, flashAttention: null },
  modelFolders: [],
  missingModelFolders: [],
  app: { hideToTray: false, activeModel: null },
  ...over,
});

describe('settings wiring in the app stores', () => {
  it('the picker takes the core’s active model, follows its changes, and tells the core about the user’s choice', async () => {
    let active: string | null = 'try/mock-1';
    const fake = createFakeTransport({
      'models.list': () => ({ ok: true, data: modelsList }),
      'routing.groups': () => ({ ok: true, data: { groups: [{ name: 'fast', kind: 'group', targets: ['try/mock-1'], strategy: 'ordered' }] } }),
      'settings.active.get': () => ({ ok: true, data: { ref: active } }),
      'settings.active.set': (input) => {
        active = (input as { ref: string }).ref;
        return { ok: true, data: { ref: active } };
      },
    });
    const stores = createAppStores(createClient(fake.transport));
    await stores.loadAll();
    expect(stores.models.getState().selectedId).toBe('try/mock-1');
    // nothing was sent back while it was being read
    expect(fake.requests.filter((r) => r.route === 'settings.active.set')).toEqual([]);

    fake.emit('settings.active.changed', { ref: 'local/tiny' });
    expect(stores.models.getState().selectedId).toBe('local/tiny');
    // a group chosen in the tray
    fake.emit('settings.active.changed', { ref: 'fast' });
    expect(stores.models.getState().selectedId).toBe('fast');

    stores.models.getState().select('try/mock-1');
    await tick();
    expect(active).toBe('try/mock-1');
  });

  it('a budget alert becomes a toast, an error at 100%', async () => {
    const fake = createFakeTransport({ 'budgets.status': () => ({ ok: true, data: { budgets: [] } }) });
    const stores = createAppStores(createClient(fake.transport));
    fake.emit('budget.alert', { scope: 'global', period: 'daily', threshold: 100, spentUsd: 5.2, limitUsd: 5, action: 'block', at: 1 });
    expect(stores.toasts.getState().toasts).toEqual([
      { id: 1, kind: 'error', title: 'Budget reached: all spend', body: '$5.20 of $5.00 today. New requests are refused until it resets.' },
    ]);
    fake.emit('budget.alert', { scope: 'provider:try', period: 'monthly', threshold: 80, spentUsd: 8, limitUsd: 10, action: 'warn', at: 2 });
    expect(stores.toasts.getState().toasts.map((t) => t.kind)).toEqual(['error', 'warning']);
    stores.toasts.getState().dismiss(1);
    expect(stores.toasts.getState().toasts.map((t) => t.id)).toEqual([2]);
  });

  it('a refused save keeps the page and names the paths; a good one replaces the view', async () => {
    const fake = createFakeTransport({
      'settings.get': () => ({ ok: true, data: view() }),
      'budgets.status': () => ({ ok: true, data: { budgets: [] } }),
      'settings.budget.save': (input) =>
        (input as { daily: number | null }).daily === 1
          ? { ok: true, data: view({ budgets: [{ scope: 'global', daily: 1, monthly: null, onExceeded: 'warn' }] }) }
          : { ok: false, error: { code: 'VALIDATION_FAILED', message: 'the change was not saved: budgets[0].scope: expected global…', data: { issues: [{ path: 'budgets[0].scope', message: 'x' }] } } },
    });
    const stores = createAppStores(createClient(fake.transport));
    const settings = stores.settings;
    await settings.getState().load();
    expect(await settings.getState().saveBudget({ scope: 'bad', daily: 2, monthly: null, onExceeded: null })).toBe(false);
    expect(settings.getState().error).toEqual({ section: 'budgets', message: 'the change was not saved: budgets[0].scope: expected global…', paths: ['budgets[0].scope'] });
    expect(settings.getState().view?.budgets).toEqual([]);
    expect(await settings.getState().saveBudget({ scope: 'global', daily: 1, monthly: null, onExceeded: 'warn' })).toBe(true);
    expect(settings.getState().error).toBeNull();
    expect(settings.getState().view?.budgets).toHaveLength(1);
  });

  it('describes a connection test: ok, the provider’s error kind, or the host’s refusal', () => {
    expect(testOutcome({ ok: true, data: [{ name: 'a', type: 'openai', ok: true, latencyMs: 12, detail: '6 models', error: null }] })).toEqual({ ok: true, latencyMs: 12, detail: '6 models' });
    expect(
      testOutcome({ ok: true, data: [{ name: 'a', type: 'openai', ok: false, latencyMs: 3, detail: null, error: { kind: 'auth', message: 'Incorrect API key', retryable: false } }] }),
    ).toEqual({ ok: false, kind: 'auth', message: 'Incorrect API key' });
    expect(testOutcome({ ok: false, error: { code: 'NOT_FOUND', message: 'unknown provider "x"' } })).toEqual({ ok: false, kind: 'NOT_FOUND', message: 'unknown provider "x"' });
  });
});
