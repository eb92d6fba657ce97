import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { collectStream } from '../../src/shared/llm';
import { createEngine } from '../../src/core/engine/engine-client';
import { writeTestModel } from '../../src/core/models/test-model';
import { LocalLanguageModel } from '../../src/core/providers/local';
import { interleaved, median } from '../stats';
import { defineRow, higherIsBetter } from '../types';

/**
 * Streaming through core (engine child process + LocalLanguageModel) against bare node-llama-cpp
 * (LlamaChat in its own process) on the `small` test model. Same model, threads, context, prompt,
 * seed, sampling and token count; runs alternate so both see the same machine load.
 */
const MAX_TOKENS = Number(process.env.BENCH_STREAM_TOKENS ?? 192);
const REPETITIONS = Number(process.env.BENCH_REPS ?? 15); // single runs spread ±10% here; 9 pairs left the median ratio 0.96–1.01
const CONTEXT_SIZE = 1024;
const SEED = 42;
const TEMPERATURE = 0.8;
const PROMPT = 'Write a long story about a river, a city and the people who live there.';
// The same default as the engine: physical cores, one left for the JS thread on 2-core machines.
const THREADS = Number(process.env.BENCH_THREADS ?? (availableParallelism() <= 2 ? 1 : availableParallelism()));

export default defineRow({
  name: 'engine-stream',
  description: `stream ${MAX_TOKENS} tokens, small model, ${THREADS} thread(s): core (engine process + LocalLanguageModel) vs bare LlamaChat`,
  async run({ tmpDir, log }) {
    const { path, parameterCount } = await writeTestModel(join(tmpDir, 'small.gguf'), { preset: 'small', seed: 1 });
    log(`model: ${(parameterCount / 1e6).toFixed(1)}M parameters`);

    const engine = createEngine({ gpu: false, threads: THREADS, onLog: (line) => log(`engine: ${line}`) });
    const reference = await startReference(path);
    try {
      const model = new LocalLanguageModel({ engine, modelId: 'local/small', modelPath: path, loadOptions: { contextSize: CONTEXT_SIZE } });
      const hops: number[] = [];
      const ours = async (): Promise<number> => {
        const start = performance.now();
        const result = await collectStream((await model.stream({ messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }], maxOutputTokens: MAX_TOKENS, temperature: TEMPERATURE, seed: SEED })).stream);
        const ms = performance.now() - start;
        if (result.error) throw new Error(`engine: ${result.error.message}`);
        // The worker reports its own generation time; host time over it is the cost of the hop.
        const generationMs = (result.usage.raw as { generationMs?: number } | undefined)?.generationMs;
        if (generationMs) hops.push(ms / generationMs - 1);
        if (process.env.BENCH_DEBUG) log(`core: ${result.usage.outputTokens.total} tokens in ${ms.toFixed(0)} ms: ${JSON.stringify(result.text.slice(0, 80))}`);
        return ((result.usage.outputTokens.total ?? 0) * 1000) / ms;
      };
      const theirs = async (): Promise<number> => {
        const r = await reference.run();
        if (process.env.BENCH_DEBUG) log(`bare: ${r.outputTokens} tokens in ${r.ms.toFixed(0)} ms: ${JSON.stringify(r.text.slice(0, 80))}`);
        return (r.outputTokens * 1000) / r.ms;
      };

      // Warm up both: loads, first-decode allocations, caches.
      await ours();
      await theirs();
      const { oursRuns, theirRuns } = await interleaved(REPETITIONS, ours, theirs, (o, t, i) =>
        log(`run ${i + 1}: core ${o.toFixed(1)} tok/s, bare ${t.toFixed(1)} tok/s`),
      );
      // The ratio is the median of per-pair ratios: the two runs of a pair are adjacent in time,
      // so they share the machine's load better than two medians taken over the whole run do.
      const ratios = oursRuns.map((o, i) => o / (theirRuns[i] ?? Number.NaN));
      const hop = `process hop +${(median(hops.slice(1)) * 100).toFixed(1)}%`;
      const result = higherIsBetter(median(oursRuns), median(theirRuns), 'tok/s', 0.97, `median of ${REPETITIONS} pairs; ${hop}`);
      const ratio = median(ratios);
      log(`pair ratios: ${ratios.map((r) => r.toFixed(3)).join(' ')}`);
      log(`${hop} (host time from call to finish over the worker's own generation time; same runs, so machine load cancels out)`);
      return { ...result, ratio, pass: ratio >= 0.97 };
    } finally {
      reference.stop();
      await engine.dispose();
    }
  },
});

interface Reference {
  run(): Promise<{ outputTokens: number; ms: number; text: string }>;
  stop(): void;
}

async function startReference(modelPath: string): Promise<Reference> {
  const script = fileURLToPath(new URL('../reference/llama-chat-stream.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child: ChildProcess = fork(script, [modelPath, String(CONTEXT_SIZE), String(THREADS)], {
    execArgv: ['--import', tsx],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: unknown) => {
        if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(m as T);
        }
      };
      const onExit = (code: number | null) => reject(new Error(`the reference process exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  await next('ready');
  return {
    async run() {
      const result = next<{ outputTokens: number; ms: number; text: string }>('result');
      child.send({ type: 'run', prompt: PROMPT, maxTokens: MAX_TOKENS, temperature: TEMPERATURE, seed: SEED });
      return result;
    },
    stop() {
      child.kill();
    },
  };
}
