import OpenAI from 'openai';
import { createOpenAI } from '../../src/core/providers/openai';
import { startOpenAIWireProcess } from '../reference/wire-process';
import { interleaved, median } from '../stats';
import { defineRow, higherIsBetter } from '../types';

/**
 * The same stream through our OpenAI adapter (createOpenAI → OpenAIChatModel → spec parts) and
 * through the bare `openai` SDK (iterating its chunks), both against the OpenAI wire server on
 * 127.0.0.1, served from its own process (bench/reference/openai-wire-server.ts). Runs alternate
 * within each pair, and which side goes first alternates between pairs.
 * - Throughput: a 2,000-chunk stream, chunks over the time from the call to the end of the stream.
 *   The verdict uses each side's fastest run: on a busy machine wall time is mostly other
 *   processes' load (runs of the same side spread 3–5×), and the fastest run is the least
 *   disturbed. The median of per-pair ratios and the CPU-time ratio (this process's CPU per run,
 *   which other processes barely touch) are reported beside it.
 * - Time to first token: from the call to the first text, on short streams (many more pairs, since
 *   one TTFT is a fraction of a millisecond of our own work inside milliseconds of HTTP); the added
 *   TTFT is the median of per-pair differences.
 */
const CHUNKS = Number(process.env.BENCH_OPENAI_CHUNKS ?? 2000);
const REPETITIONS = Number(process.env.BENCH_REPS ?? 21);
const TTFT_PAIRS = Number(process.env.BENCH_TTFT_PAIRS ?? 201);
const WARMUP = 5;
const TTFT_BUDGET_MS = 0.5;
const MIN_RATIO = 0.98;
const MODEL = 'gpt-4o-mini';
const KEY = 'sk-bench-not-a-real-key';
const PROMPT = 'Count to two thousand.';

interface Run {
  ttftMs: number;
  totalMs: number;
  cpuMs: number;
  chunks: number;
}

export default defineRow({
  name: 'openai-adapter-overhead',
  description: `stream ${CHUNKS} chunks from the OpenAI wire server: our adapter vs the bare openai SDK`,
  async run({ log }) {
    const longRuns = 2 * (WARMUP + REPETITIONS);
    const shortRuns = 2 * (WARMUP + TTFT_PAIRS);
    const server = await startOpenAIWireProcess([`${longRuns}x${CHUNKS}`, `${shortRuns}x4`]);
    const model = createOpenAI({ baseURL: server.baseURL, apiKey: KEY, apiKeyEnvVar: null, maxRetries: 0 }).languageModel(MODEL);
    const bare = new OpenAI({ baseURL: server.baseURL, apiKey: KEY, maxRetries: 0, logLevel: 'off' });

    const ours = async (): Promise<Run> => {
      const start = performance.now();
      const cpu = process.cpuUsage();
      let ttftMs = Number.NaN;
      let chunks = 0;
      const reader = (await model.stream({ messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }] })).stream.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.type === 'text-delta') {
          if (chunks === 0) ttftMs = performance.now() - start;
          chunks += 1;
        } else if (value.type === 'error') {
          throw new Error(`adapter: ${value.error.message}`);
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
        if (o.chunks !== expectChunks || t.chunks !== expectChunks) throw new Error(`expected ${expectChunks} chunks, got ours ${o.chunks}, bare ${t.chunks}`);
        onPair?.(o, t, i);
      });

    try {
      await pairs(WARMUP, CHUNKS);
      const long = await pairs(REPETITIONS, CHUNKS, (o, t, i) =>
        log(`run ${i + 1}: adapter ${o.totalMs.toFixed(1)} ms (cpu ${o.cpuMs.toFixed(1)}), bare ${t.totalMs.toFixed(1)} ms (cpu ${t.cpuMs.toFixed(1)})`),
      );
      await pairs(WARMUP, 4);
      const short = await pairs(TTFT_PAIRS, 4);

      const rate = (r: Run) => (r.chunks * 1000) / r.totalMs;
      // Per-pair figures: the two runs of a pair are adjacent in time and share the machine's load.
      const ratios = long.oursRuns.map((o, i) => rate(o) / rate(long.theirRuns[i] as Run));
      const ratio = median(ratios);
      const cpuRatio = median(long.oursRuns.map((o, i) => (long.theirRuns[i] as Run).cpuMs / o.cpuMs));
      const ttftAdded = median(short.oursRuns.map((o, i) => o.ttftMs - (short.theirRuns[i] as Run).ttftMs));
      const ttftOurs = median(short.oursRuns.map((r) => r.ttftMs));
      const ttftBare = median(short.theirRuns.map((r) => r.ttftMs));
      log(`pair ratios: ${ratios.map((r) => r.toFixed(3)).join(' ')}`);
      log(`cpu ratio (bare cpu / adapter cpu, per pair, median): ${cpuRatio.toFixed(3)}`);
      log(`ttft p50: adapter ${ttftOurs.toFixed(3)} ms, bare ${ttftBare.toFixed(3)} ms, added (median of ${TTFT_PAIRS} pair differences) ${ttftAdded.toFixed(3)} ms`);
      const note = `fastest of ${REPETITIONS} runs each; TTFT added p50 ${ttftAdded.toFixed(3)} ms (target ≤ ${TTFT_BUDGET_MS}); median pair ratio ${ratio.toFixed(3)}; CPU ratio ${cpuRatio.toFixed(3)}`;
      const best = higherIsBetter(Math.max(...long.oursRuns.map(rate)), Math.max(...long.theirRuns.map(rate)), 'chunks/s', MIN_RATIO, note);
      log(`fastest runs: adapter ${best.ours.toFixed(0)} chunks/s, bare ${best.reference.toFixed(0)} chunks/s, ratio ${best.ratio.toFixed(3)}`);
      return { ...best, target: `≥ ${MIN_RATIO}×, TTFT +≤ ${TTFT_BUDGET_MS} ms`, pass: best.ratio >= MIN_RATIO && ttftAdded <= TTFT_BUDGET_MS };
    } finally {
      server.stop();
    }
  },
});

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
