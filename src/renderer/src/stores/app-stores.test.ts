import { describe, expect, it } from 'vitest';
import type { UsageSummary } from '../../../shared/domain';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { createAppStores } from './app-stores';

const summary: UsageSummary = {
  from: null,
  to: null,
  totals: { calls: 1, inputTokens: 3, outputTokens: 9, costUsd: 0 },
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
    });
    const stores = createAppStores(createClient(fake.transport));
    expect(stores.connection.getState().state).toBe('open');
    fake.setConnection('reconnecting');
    expect(stores.connection.getState().state).toBe('reconnecting');
    expect(fake.requests).toHaveLength(0);
    fake.setConnection('open');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.requests.map((r) => r.route).sort()).toEqual(['conversations.list', 'models.list', 'usage.summary']);
  });

  it('asks for the models again, past the host’s cache, when the config file changes', async () => {
    const fake = createFakeTransport({ 'models.list': () => ({ ok: true, data: { providers: [] } }) });
    createAppStores(createClient(fake.transport));
    fake.emit('config.changed', { path: '/data/switchboard.yaml' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.requests).toEqual([{ route: 'models.list', input: { refresh: true } }]);
  });
});
