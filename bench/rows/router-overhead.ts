import { join } from 'node:path';
import { createCatalog } from '../../src/core/catalog';
import { createOpenAI } from '../../src/core/providers/openai';
import { DeploymentState, DEFAULT_ROUTER_POLICY, createRouter } from '../../src/core/router';
import { createRoutedCaller } from '../../src/core/services/routed-call';
import { openStore } from '../../src/core/store';
import { startOpenAIWireProcess } from '../reference/wire-process';
import { CHUNKS, KEY, MODEL, PROMPT, REPETITIONS, TTFT_PAIRS, WARMUP, WIRE_SCRIPT, measureAgainstBareSdk } from '../stream-vs-bare-sdk';
import { defineRow } from '../types';

/**
 * What routing and metering add to a call: the same stream through the routed caller (name
 * resolution, filters, strategy, breaker and health bookkeeping, one `calls` row begun before the
 * call and finished after it, in a real SQLite store in the run's temp dir, over our OpenAI
 * adapter) and through the bare `openai` SDK, both against the OpenAI wire server on 127.0.0.1 in
 * its own process. How the pairs run and what the verdict reads: `../stream-vs-bare-sdk.ts`.
 */
export default defineRow({
  name: 'router-overhead',
  description: `stream ${CHUNKS} chunks from the OpenAI wire server: the routed, metered call vs the bare openai SDK`,
  async run({ tmpDir, log }) {
    const server = await startOpenAIWireProcess(WIRE_SCRIPT);
    const store = openStore({ path: join(tmpDir, 'switchboard.db') });
    const model = createOpenAI({ baseURL: server.baseURL, apiKey: KEY, apiKeyEnvVar: null, maxRetries: 0 }).languageModel(MODEL);
    const clock = { now: Date.now };
    const router = createRouter({
      groups: new Map(),
      providerTypes: { wire: 'openai', local: 'local' },
      catalog: createCatalog(),
      resolveModel: () => model,
      clock,
      sleep: async () => undefined,
      random: Math.random,
      state: new DeploymentState(DEFAULT_ROUTER_POLICY.breaker, clock, DEFAULT_ROUTER_POLICY.healthWindowMs),
    });
    const calls = createRoutedCaller({ router: () => router, store, clock: Date.now });
    try {
      return await measureAgainstBareSdk({
        baseURL: server.baseURL,
        label: 'routed',
        ours: () => calls.stream({ model: `wire/${MODEL}`, options: { messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }] }, client: 'bench' }),
        log,
        afterRuns() {
          // Every routed request left exactly one calls row, finished.
          const recorded = store.calls.summary({}).totals.calls;
          const expected = 2 * WARMUP + REPETITIONS + TTFT_PAIRS;
          if (recorded !== expected) throw new Error(`expected ${expected} calls rows, found ${recorded}`);
        },
      });
    } finally {
      server.stop();
      store.close();
    }
  },
});
