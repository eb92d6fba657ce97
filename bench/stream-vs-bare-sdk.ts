import OpenAI from 'openai';
import type { PartSource } from '../src/shared/llm';
import { interleaved, median } from './stats';
import { type BenchResult, higherIsBetter } from './types';

/**
 * Shared by the rows that put a layer of ours (the adapter; the routed, metered call) against the
 * bare `openai` SDK on the same stream from the OpenAI wire server (its own process). Runs
 * alternate within each pair, and which side goes first alternates between pairs.
 * - Throughput: a 2,000-chunk stream, chunks over the time from the call to the end of the stream.
 *   The verdict uses each side's fastest run: on a busy machine wall time is mostly other
 *   processes' load (runs of the same side spread 3–5×), and the fastest run is the least
 *   disturbed. The median of per-pair ratios and the CPU-time ratio (this process's CPU per run,
 *   which other processes barely touch) are reported beside it.
 * - Time to first token: from the call to the first text, on short streams (many more pairs, since
 *   one TTFT is a fraction of a millisecond of our own work inside milliseconds of HTTP); the added
 *   TTFT is the median of per-pair differences.
 */
export const CHUNKS = Number(process.env.BENCH_OPENAI_CHUNKS ?? 2000);
export const REPETITIONS = Number(process.env.BENCH_REPS ?? 21);
export const TTFT_PAIRS = Number(process.env.BENCH_TTFT_PAIRS ?? 201);
export const WARMUP = 5;
const TTFT_BUDGET_MS = 0.5;
const MIN_RATIO = 0.98;
export const MODEL = 'gpt-4o-mini';
export const KEY = 'sk-bench-not-a-real-key';
export const PROMPT = 'Count to two thousand.';

/** The wire server's script: enough long and short streams for every run of both sides. */
export const WIRE_SCRIPT = [`${2 * (WARMUP + REPETITIONS)}x${CHUNKS}`, `${2 * (WARMUP + TTFT_PAIRS)}x4`];

interface Run {
  ttftMs: number;
  totalMs: number;
  cpuMs: number;
  chunks: number;
}

export interface AgainstBareOptions {
  /** The wire server's `/v1` URL. */
  baseURL: string;
  /** Our side's name in the log (`adapter`, `routed`). */
  label: string;
  /** Starts our side's call for `PROMPT`; its parts are read from `stream`. */
  ours: () => Promise<PartSource>;
  log: (line: string) => void;
  /** After every pair has run, before the verdict (a row's own checks). */
  afterRuns?: () => void;
}

export async function measureAgainstBareSdk(options: AgainstBareOptions): Promise<BenchResult> {
  const { label, log } = options;
  const bare = new OpenAI({ baseURL: options.baseURL, apiKey: KEY, maxRetries: 0, logLevel: 'off' });

  const ours = async (): Promise<Run> => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    let ttftMs = Number.NaN;
    let chunks = 0;
    const reader = (await options.ours()).stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.type === 'text-delta') {
        if (chunks === 0) ttftMs = performance.now() - start;
        chunks += 1;
      } else if (value.type === 'error') {
        throw new Error(`${label}: ${value.error.message}`);
      }
    }
    return { ttftMs, totalMs: performance.now() - start, cpuMs: cpuMs(process.cpuUsage(cpu)), chunks };
  };
  const theirs = async (): Promise<Run> => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    let ttftMs = Number.NaN;
    let chunks = 0;
    const stream = await bare.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: PROMPT }], stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (typeof content === 'string' && content !== '') {
        if (chunks === 0) ttftMs = performance.now() - start;
        chunks += 1;
      }
    }
    return { ttftMs, totalMs: performance.now() - start, cpuMs: cpuMs(process.cpuUsage(cpu)), chunks };
  };
  const pairs = (count: number, expectChunks: number, onPair?: (o: Run, t: Run, i: number) => void) =>
    interleaved(count, ours, theirs, (o, t, i) => {
      if (o.chunks !== expectChunks || t.chunks !== expectChunks) throw new Error(`expected ${expectChunks} chunks, got ${label} ${o.chunks}, bare ${t.chunks}`);
      onPair?.(o, t, i);
    });

  await pairs(WARMUP, CHUNKS);
  const long = await pairs(REPETITIONS, CHUNKS, (o, t, i) =>
    log(`run ${i + 1}: ${label} ${o.totalMs.toFixed(1)} ms (cpu ${o.cpuMs.toFixed(1)}), bare ${t.totalMs.toFixed(1)} ms (cpu ${t.cpuMs.toFixed(1)})`),
  );
  await pairs(WARMUP, 4);
  const short = await pairs(TTFT_PAIRS, 4);
  options.afterRuns?.();

  const rate = (r: Run) => (r.chunks * 1000) / r.totalMs;
  // Per-pair figures: the two runs of a pair are adjacent in time and share the machine's load.
  const ratios = long.oursRuns.map((o, i) => rate(o) / rate(long.theirRuns[i] as Run));
  const ratio = median(ratios);
  const cpuRatio = median(long.oursRuns.map((o, i) => (long.theirRuns[i] as Run).cpuMs / o.cpuMs));
  const ttftAdded = median(short.oursRuns.map((o, i) => o.ttftMs - (short.theirRuns[i] as Run).ttftMs));
  const ttftOurs = median(short.oursRuns.map((r) => r.ttftMs));
  const ttftBare = median(short.theirRuns.map((r) => r.ttftMs));
  log(`pair ratios: ${ratios.map((r) => r.toFixed(3)).join(' ')}`);
  log(`cpu ratio (bare cpu / ${label} cpu, per pair, median): ${cpuRatio.toFixed(3)}`);
  log(`ttft p50: ${label} ${ttftOurs.toFixed(3)} ms, bare ${ttftBare.toFixed(3)} ms, added (median of ${TTFT_PAIRS} pair differences) ${ttftAdded.toFixed(3)} ms`);
  const note = `fastest of ${REPETITIONS} runs each; TTFT added p50 ${ttftAdded.toFixed(3)} ms (target ≤ ${TTFT_BUDGET_MS}); median pair ratio ${ratio.toFixed(3)}; CPU ratio ${cpuRatio.toFixed(3)}`;
  const best = higherIsBetter(Math.max(...long.oursRuns.map(rate)), Math.max(...long.theirRuns.map(rate)), 'chunks/s', MIN_RATIO, note);
  log(`fastest runs: ${label} ${best.ours.toFixed(0)} chunks/s, bare ${best.reference.toFixed(0)} chunks/s, ratio ${best.ratio.toFixed(3)}`);
  return { ...best, target: `≥ ${MIN_RATIO}×, TTFT +≤ ${TTFT_BUDGET_MS} ms`, pass: best.ratio >= MIN_RATIO && ttftAdded <= TTFT_BUDGET_MS };
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
