import { join } from 'node:path';
import { type CallEnd, type Store, newCallId, openStore } from '../../src/core/store';
import { generateUsage } from '../usage-data';
import { defineRow, lowerIsBetter } from '../types';

/**
 * What recording one provider call costs the process: `calls.begin` (the row in flight, before the
 * first token) and `calls.finish` (when the attempt ends), through the real store (WAL,
 * synchronous=NORMAL, every index and the dashboard's rollup trigger), into a database that already
 * holds history, with ids made as routed-call makes them (`newCallId`, time-ordered).
 *
 * The recorder queues operations and hands each 2 ms window to its writer thread, which commits it
 * on its own connection (call-writer-thread.ts). Each turn of the loops here waits 3 ms, past the
 * window, as if every call outlived it (a chat call does; a gateway call to a fast upstream often
 * does not, and then its begin and finish become one insert, cheaper than measured here):
 *
 * - sequential: one call at a time; begin, a turn, finish, a turn, like chat (the calls belong to a
 *   conversation).
 * - 10 in flight: each turn finishes the 10 calls begun in the turn before and begins 10 more,
 *   like the gateway at 10 connections (no conversation).
 *
 * Per call = (the loop − the same loop with no recording) / calls, in the event loop's busy time
 * (`performance.eventLoopUtilization`: what a request waits for; the last flush, which waits for
 * the thread, is counted) and in CPU time of every thread (the writer's commits included). The
 * verdict is on the event loop's time at 10 in flight; the rest is in the note. The target is
 * absolute (≤ 50 µs per call), so the reference column is the target itself.
 */
const CALLS = Number(process.env.BENCH_RECORD_CALLS ?? 20_000);
/** Sequential calls take two turns of 3 ms each: fewer of them. */
const SEQUENTIAL_CALLS = Number(process.env.BENCH_RECORD_SEQUENTIAL_CALLS ?? 2_500);
const HISTORY = Number(process.env.BENCH_RECORD_HISTORY ?? 100_000);
const IN_FLIGHT = 10;
const IN_FLIGHT_NAME = `${IN_FLIGHT} in flight`;
const RUNS = 5;
const TARGET_US = 50;

/** Past the recorder's 2 ms window, so each turn's operations are handed over before the next turn. */
const TURN_MS = 3;
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, TURN_MS));

interface Cost {
  loopUs: number;
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

      const sequential = async (calls: number, record: boolean) => {
        for (let i = 0; i < calls; i++) {
          const id = begin(record, 'bench');
          await nextTurn();
          finish(record, id, i);
          await nextTurn();
        }
        flushed(store); // inside the timed loop: nothing may be left for later
      };
      const concurrent = async (calls: number, record: boolean) => {
        let open: string[] = [];
        for (let i = 0; i < calls; i += IN_FLIGHT) {
          for (const id of open) finish(record, id, i);
          open = Array.from({ length: IN_FLIGHT }, () => begin(record, null));
          await nextTurn();
        }
        for (const id of open) finish(record, id, calls);
        await nextTurn();
        flushed(store);
      };

      const results: Record<string, Cost[]> = { sequential: [], [IN_FLIGHT_NAME]: [] };
      const modes: [string, (calls: number, record: boolean) => Promise<void>][] = [
        ['sequential', sequential],
        [IN_FLIGHT_NAME, concurrent],
      ];
      const calls = (name: string) => Math.max(IN_FLIGHT, Math.floor((name === 'sequential' ? SEQUENTIAL_CALLS : CALLS) / RUNS));
      for (const [, loop] of modes) await loop(500, true); // warm up the statements, the page cache and the writer thread
      for (let r = 0; r < RUNS; r++) {
        for (const [name, loop] of modes) {
          const perRun = calls(name);
          const base = await measure(() => loop(perRun, false));
          const withRecording = await measure(() => loop(perRun, true));
          const cost = { loopUs: ((withRecording.loop - base.loop) * 1000) / perRun, cpuUs: (withRecording.cpu - base.cpu) / perRun };
          results[name]?.push(cost);
          log(`run ${r + 1}, ${name}: ${cost.loopUs.toFixed(1)} µs/call of the event loop, ${cost.cpuUs.toFixed(1)} µs/call CPU (all threads)`);
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
      const summary = (name: string) => {
        const runs = results[name] ?? [];
        return { loopUs: median(runs.map((c) => c.loopUs)), cpuUs: median(runs.map((c) => c.cpuUs)) };
      };
      const seq = summary('sequential');
      const conc = summary(IN_FLIGHT_NAME);
      return lowerIsBetter(
        conc.loopUs,
        TARGET_US,
        'µs/call',
        1,
        `${IN_FLIGHT} in flight: ${conc.loopUs.toFixed(1)} µs of the event loop, ${conc.cpuUs.toFixed(1)} µs CPU of all threads per call; sequential: ${seq.loopUs.toFixed(1)} µs and ${seq.cpuUs.toFixed(1)} µs (medians of ${RUNS} runs of ${calls(IN_FLIGHT_NAME)} and ${calls('sequential')} calls, the last flush included)`,
      );
    } finally {
      store.close();
    }
  },
});

/** The event loop's busy ms and the process's CPU µs (every thread) while `fn` runs. */
async function measure(fn: () => Promise<void>): Promise<{ loop: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  await fn();
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  return { loop: elu.active, cpu: cpu.user + cpu.system };
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
