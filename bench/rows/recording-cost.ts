import { join } from 'node:path';
import { openStore } from '../../src/core/store';
import { generateUsage } from '../usage-data';
import { defineRow, lowerIsBetter } from '../types';

/**
 * What recording one provider call costs the chat path: `calls.begin` (the row in flight, before the
 * first token) and `calls.finish` (in a transaction, as ChatExchange does it with the message),
 * through the real store (WAL, synchronous=NORMAL, every index and the dashboard's rollup triggers),
 * into a database that already holds history. The target is absolute (≤ 50 µs per call), so the
 * reference column is the target itself; the note adds the CPU time, which a busy machine blurs less.
 */
const CALLS = Number(process.env.BENCH_RECORD_CALLS ?? 20_000);
const HISTORY = Number(process.env.BENCH_RECORD_HISTORY ?? 100_000);
const TARGET_US = 50;

export default defineRow({
  name: 'recording-cost',
  description: `begin + finish of a calls row, ${CALLS.toLocaleString('en')} calls into ${HISTORY.toLocaleString('en')} rows of history`,
  run({ tmpDir, log }) {
    const store = openStore({ path: join(tmpDir, 'switchboard.db') });
    try {
      const now = Date.UTC(2026, 10, 30, 12);
      generateUsage(store, { calls: HISTORY, end: now, days: 30 });
      store.conversations.create({ id: 'bench', title: 'Bench', model: null, createdAt: now });
      const record = (i: number) => {
        const id = `rec-${i}`;
        const startedAt = now + i * 50;
        store.calls.begin({ id, requestId: `req-rec-${i}`, attempt: 1, fallbackDepth: 0, conversationId: 'bench', provider: 'openai', model: 'gpt-4o-mini', deployment: 'fast#0', startedAt, client: 'ipc' });
        store.transaction(() =>
          store.calls.finish(id, {
            inputTokens: { total: 1200, noCache: 800, cacheRead: 400, cacheWrite: 0 },
            outputTokens: { total: 300, text: 300, reasoning: 0 },
            costUsd: 0.00033,
            latencyMs: 900 + (i % 700),
            ttftMs: 120 + (i % 90),
            outcome: 'success',
            errorKind: null,
            errorMessage: null,
            endedAt: startedAt + 900,
          }),
        );
      };
      for (let i = 0; i < 500; i++) record(-1 - i); // warm up the statements and the page cache
      const runs: { wallUs: number; cpuUs: number }[] = [];
      const perRun = Math.max(1, Math.floor(CALLS / 5));
      for (let r = 0; r < 5; r++) {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        for (let i = 0; i < perRun; i++) record(r * perRun + i);
        const wall = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        runs.push({ wallUs: (wall * 1000) / perRun, cpuUs: (cpu.user + cpu.system) / perRun });
        log(`run ${r + 1}: ${runs.at(-1)?.wallUs.toFixed(1)} µs/call wall, ${runs.at(-1)?.cpuUs.toFixed(1)} µs/call CPU`);
      }
      const best = runs.reduce((a, b) => (b.wallUs < a.wallUs ? b : a));
      const sorted = runs.map((r) => r.wallUs).sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] as number;
      return Promise.resolve(
        lowerIsBetter(median, TARGET_US, 'µs/call', 1, `median of 5 runs of ${perRun} calls; fastest ${best.wallUs.toFixed(1)} µs wall, ${best.cpuUs.toFixed(1)} µs CPU`),
      );
    } finally {
      store.close();
    }
  },
});
