import { describe, expect, it } from 'vitest';
import type { UsageSummary } from '../../../shared/domain';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { createAppStores } from './app-stores';

const summary: UsageSummary = {
  from: null,
  to: null,
  totals: { calls: 1, inputTokens: 3, outputTokens: 9, costUsd: 0, uncostedCalls: 0 },
  byOutcome: { success: 1, error: 0, aborted: 0, cache_hit: 0 },
  byModel: [],
};

describe('app stores wiring', () => {
  it('usage and the conversation list are refreshed after every exchange', async () => {
    const fake = createFakeTransport({
      'usage.summary': () => ({ ok: true, data: summary }),
      'conversations.list': () => ({ ok: true, data: [] }),
    });
    const stores = createAppStores(createClient(fake.transport));
    const sending = stores.chat.getState().send({ text: 'hi', model: 'local/tiny' });
    fake.streams[0]!.end();
    await sending;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.requests.map((r) => r.route).sort()).toEqual(['conversations.list', 'usage.summary']);
    expect(stores.usage.getState().summary).toEqual(summary);
  });

  it('everything reloads when the connection comes back after a drop', async () => {
    const fake = createFakeTransport({
      'usage.summary': () => ({ ok: true, data: summary }),
      'conversations.list': () => ({ ok: true, data: [] }),
      'models.list': () => ({ ok: true, data: { providers: [] } }),
      'downloads.list': () => ({ ok: true, data: [] }),
    });
    const stores = createAppStores(createClient(fake.transport));
    expect(stores.connection.getState().state).toBe('open');
    fake.setConnection('reconnecting');
    expect(stores.connection.getState().state).toBe('reconnecting');
    expect(fake.requests).toHaveLength(0);
    fake.setConnection('open');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.requests.map((r) => r.route).sort()).toEqual(['assistants.list', 'conversations.list', 'downloads.list', 'models.list', 'routing.groups', 'settings.active.get', 'usage.summary']);
  });

  it('asks for the models again, past the host’s cache, and the assistants, when the config file changes', async () => {
    const fake = createFakeTransport({ 'models.list': () => ({ ok: true, data: { providers: [] } }) });
    createAppStores(createClient(fake.transport));
    fake.emit('config.changed', { path: '/data/switchboard.yaml' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.requests).toEqual([
      { route: 'models.list', input: { refresh: true } },
      { route: 'routing.groups', input: {} },
      { route: 'assistants.list', input: {} },
    ]);
  });

  it('a download that completes refreshes the models, as a dropped file imported does', async () => {
    const running = { id: 'j', source: { kind: 'hub', repo: 'o/r', file: 'm.gguf' }, state: 'running', createdAt: 1, updatedAt: 1 };
    const fake = createFakeTransport({
      'downloads.list': () => ({ ok: true, data: [running] }),
      'models.list': () => ({ ok: true, data: { providers: [] } }),
    });
    const flushes: (() => void)[] = [];
    const stores = createAppStores(createClient(fake.transport), { schedule: (flush) => (flushes.push(flush), () => {}) });
    await stores.downloads.getState().refresh();
    fake.emit('downloads.progress', { ...running, state: 'completed', updatedAt: 2 });
    flushes.splice(0).forEach((flush) => flush());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.requests.filter((r) => r.route === 'models.list')).toEqual([{ route: 'models.list', input: {} }]);
  });

  it('a finished Ollama pull asks for the models past the host’s one-minute cache of Ollama’s list', async () => {
    const pulling = { id: 'p', source: { kind: 'ollama', model: 'llama3.2' }, state: 'running', createdAt: 1, updatedAt: 1 };
    const fake = createFakeTransport({
      'downloads.list': () => ({ ok: true, data: [pulling] }),
      'models.list': () => ({ ok: true, data: { providers: [] } }),
    });
    const flushes: (() => void)[] = [];
    const stores = createAppStores(createClient(fake.transport), { schedule: (flush) => (flushes.push(flush), () => {}) });
    await stores.downloads.getState().refresh();
    fake.emit('downloads.progress', { ...pulling, state: 'completed', updatedAt: 2 });
    flushes.splice(0).forEach((flush) => flush());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.requests.filter((r) => r.route === 'models.list')).toEqual([{ route: 'models.list', input: { refresh: true } }]);
  });
});
