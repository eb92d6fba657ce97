import { describe, expect, it } from 'vitest';
import type { UsageSummary } from '../../../shared/domain';
import { createClient } from '../ipc';
import { createFakeTransport } from '../ipc/testing/fake-transport';
import { createUsageStore } from './usage-store';

const summary: UsageSummary = {
  from: null,
  to: null,
  totals: { calls: 2, inputTokens: 30, outputTokens: 90, costUsd: 0, uncostedCalls: 0 },
  byOutcome: { success: 1, error: 0, aborted: 1, cache_hit: 0 },
  byModel: [{ provider: 'local', model: 'local/tiny', calls: 2, inputTokens: 30, outputTokens: 90, costUsd: 0, uncostedCalls: 0 }],
};

describe('usage store', () => {
  it('loads the summary', async () => {
    const fake = createFakeTransport({ 'usage.summary': () => ({ ok: true, data: summary }) });
    const store = createUsageStore({ client: createClient(fake.transport) });
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ status: 'ready', summary });
  });
});
