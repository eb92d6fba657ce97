import { join } from 'node:path';
import { type CallEnd, type Store, newCallId, openStore } from '../../src/core/store';
import { generateUsage } from '../usage-data';
import { defineRow, lowerIsBetter } from '../types';

/**
 * What recording one provider call costs the process: `calls.begin` (the row in flight, before the
 * first token) and `calls.finish` (when the attempt ends), through the real store (WAL,
 * synchronous=NORMAL, every index and the dashboard's rollup trigger), into a database that already
 * holds history, with ids made as routed-call makes them (`newCallId`, time-ordered). The recorder writes behind, in
 * 2 ms windows; here each turn ends with a flush, as if every call outlived the window (a chat
 * call does; a gateway call to a fast upstream often does not, and then its begin and finish
 * become one insert, cheaper than measured here). Flushing each turn also writes on the store's
 * own connection: once a store records in earnest, the recorder hands its windows to a writer
 * thread instead (call-writer-thread.ts), so this is the cost without that thread (its fallback),
 * an upper bound of what recording takes from the event loop. The loops yield to the event loop
 * like real requests and the time includes every flush (the last one too):
 *
 * - sequential: one call at a time; begin, a turn, finish, a turn (each op gets its own commit),
 *   like chat (the calls belong to a conversation).
 * - 10 in flight: each turn finishes the 10 calls begun in the turn before and begins 10 more,
 *   like the gateway at 10 connections (one commit per turn for 20 operations; no conversation).
 *
 * Per call = (time of the loop − time of the same loop with no recording) / calls. The verdict is on
 * the wall time per call at 10 in flight (the case the target is for: under load calls share
 * commits); the sequential cost is reported beside it (there each operation pays a whole commit,
 * but off the request's critical path). The target is absolute (≤ 50 µs per call), so the
 * reference column is the target itself.
 */
const CALLS = Number(process.env.BENCH_RECORD_CALLS ?? 20_000);
const HISTORY = Number(process.env.BENCH_RECORD_HISTORY ?? 100_000);
const IN_FLIGHT = 10;
const RUNS = 5;
const TARGET_US = 50;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Cost {
  wallUs: number;
  cpuUs: number;
}

export default defineRow({
  name: 'recording-cost',
  description: `begin + finish of a calls row, sequential and ${IN_FLIGHT} in flight, ${CALLS.toLocaleString('en')} calls into ${HISTORY.toLocaleString('en')} rows of history`,
  async run({ tmpDir, log }) {
    const store = openStore({ path: join(tmpDir, 'switchboard.db') });
    try {
      const now = Date.UTC(2026, 10, 30, 12);
      generateUsage(store, { calls: HISTORY, end: now, days: 30 });
      store.conversations.create({ id: 'bench', title: 'Bench', model: null, createdAt: now });
      store.usage.totals({ from: 0, to: now }); // fold the history into the rollups, as the app's first dashboard read would
      let clock = now;
      // Sequential calls are chat's (a conversation); concurrent ones the gateway's (none).
      const begin = (record: boolean, conversationId: string | null): string => {
        const id = newCallId();
        if (record) {
          store.calls.begin({ id, requestId: newCallId(), attempt: 1, fallbackDepth: 0, conversationId, provider: 'openai', model: 'gpt-4o-mini', deployment: 'fast#0', startedAt: (clock += 7), client: conversationId === null ? 'gateway' : 'ipc' });
        }
        return id;
      };
      const finish = (record: boolean, id: string, i: number) => {
        if (record) store.calls.finish(id, end(clock, i));
      };

      const turn = async () => {
        await nextTurn();
        flushed(store);
      };
      const sequential = async (calls: number, record: boolean) => {
        for (let i = 0; i < calls; i++) {
          const id = begin(record, 'bench');
          await turn();
          finish(record, id, i);
          await turn();
        }
        flushed(store); // inside the timed loop: nothing may be left for later
      };
      const concurrent = async (calls: number, record: boolean) => {
        let open: string[] = [];
        for (let i = 0; i < calls; i += IN_FLIGHT) {
          for (const id of open) finish(record, id, i);
          open = Array.from({ length: IN_FLIGHT }, () => begin(record, null));
          await turn();
        }
        for (const id of open) finish(record, id, calls);
        await turn();
        flushed(store);
      };

      const results: Record<string, Cost[]> = { sequential: [], [`${IN_FLIGHT} in flight`]: [] };
      const modes: [string, (calls: number, record: boolean) => Promise<void>][] = [
        ['sequential', sequential],
        [`${IN_FLIGHT} in flight`, concurrent],
      ];
      const perRun = Math.max(IN_FLIGHT, Math.floor(CALLS / RUNS));
      for (const [, loop] of modes) await loop(500, true); // warm up the statements and the page cache
      for (let r = 0; r < RUNS; r++) {
        for (const [name, loop] of modes) {
          const base = await measure(() => loop(perRun, false));
          const withRecording = await measure(() => loop(perRun, true));
          const cost = { wallUs: ((withRecording.wall - base.wall) * 1000) / perRun, cpuUs: (withRecording.cpu - base.cpu) / perRun };
          results[name]?.push(cost);
          log(`run ${r + 1}, ${name}: ${cost.wallUs.toFixed(1)} µs/call wall, ${cost.cpuUs.toFixed(1)} µs/call CPU`);
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
      const summary = (name: string) => {
        const runs = results[name] ?? [];
        return { wallUs: median(runs.map((c) => c.wallUs)), cpuUs: median(runs.map((c) => c.cpuUs)) };
      };
      const seq = summary('sequential');
      const conc = summary(`${IN_FLIGHT} in flight`);
      return lowerIsBetter(
        conc.wallUs,
        TARGET_US,
        'µs/call',
        1,
        `${IN_FLIGHT} in flight: ${conc.wallUs.toFixed(1)} µs wall, ${conc.cpuUs.toFixed(1)} µs CPU per call; sequential: ${seq.wallUs.toFixed(1)} µs wall, ${seq.cpuUs.toFixed(1)} µs CPU per call (medians of ${RUNS} runs of ${perRun} calls, flushes included)`,
      );
    } finally {
      store.close();
    }
  },
});

async function measure(fn: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: cpu.user + cpu.system };
}

/** Writes what is queued now; a failed flush fails the row. */
function flushed(store: Store): void {
  if (!store.flushCalls()) throw new Error('a flush failed during the bench');
}

function end(startedAt: number, i: number): CallEnd {
  return {
    inputTokens: { total: 1200, noCache: 800, cacheRead: 400, cacheWrite: 0 },
    outputTokens: { total: 300, text: 300, reasoning: 0 },
    costUsd: 0.00033,
    latencyMs: 900 + (i % 700),
    ttftMs: 120 + (i % 90),
    outcome: 'success',
    errorKind: null,
    errorMessage: null,
    endedAt: startedAt + 900,
  };
}
