/**
 * The GPU self-check, run in a short-lived process of its own (worker.ts in probe mode): load a
 * tiny GGUF on one backend and decode a few tokens. A backend whose build doesn't match the driver
 * aborts natively at the first decode (see STACK-NOTES); here that costs this process only, and the
 * host marks the backend broken. Reports go to the host as probe messages (protocol.ts).
 */
import { getLlama, getLlamaGpuTypes, LlamaLogLevel } from 'node-llama-cpp';
import { gpuBackendSchema, WORKER_ENV, type ProbeMessage } from './protocol';

function send(message: ProbeMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, () => resolve());
  });
}

const PROBE_TOKENS = 4;

export async function runBackendProbe(): Promise<void> {
  try {
    await probe(process.env[WORKER_ENV.probeBackend], process.env[WORKER_ENV.probeModel]);
  } catch (error) {
    await send({ type: 'errored', message: error instanceof Error ? error.message : String(error) });
  } finally {
    process.disconnect?.();
  }
}

async function probe(target: string | undefined, modelPath: string | undefined): Promise<void> {
  if (target === 'detect') {
    // Which GPU types have their libraries and drivers here, best first (no binary is loaded).
    const types = await getLlamaGpuTypes('supported');
    await send({ type: 'detected', backends: types.flatMap((t) => (t === false ? [] : [gpuBackendSchema.parse(t)])) });
    return;
  }
  const backend = gpuBackendSchema.parse(target);
  if (!modelPath) throw new Error(`${WORKER_ENV.probeModel} is not set`);
  let llama;
  try {
    llama = await getLlama({
      gpu: backend,
      // Never compile from source here: a check must be short.
      build: 'never',
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => process.stderr.write(`[llama ${level}] ${message.trimEnd()}\n`),
    });
  } catch (error) {
    await send({ type: 'unavailable', message: `no usable ${backend} build: ${error instanceof Error ? error.message : String(error)}` });
    return;
  }
  if (llama.gpu !== backend) {
    await send({ type: 'unavailable', message: `node-llama-cpp loaded ${llama.gpu === false ? 'the CPU build' : llama.gpu} instead of ${backend}` });
    return;
  }
  await send({ type: 'phase', phase: 'loading' });
  const model = await llama.loadModel({ modelPath, gpuLayers: 'max' });
  const context = await model.createContext({ contextSize: 256, sequences: 1 });
  const sequence = context.getSequence();
  // The first decode is where a mismatched build aborts, and where Vulkan compiles its shaders.
  await send({ type: 'phase', phase: backend === 'vulkan' ? 'compiling-shaders' : 'decoding' });
  const started = performance.now();
  let generated = 0;
  for await (const token of sequence.evaluate(model.tokenize('The river runs'), { temperature: 0 })) {
    void token;
    if (++generated >= PROBE_TOKENS) break;
  }
  const decodeMs = performance.now() - started;
  if (generated < PROBE_TOKENS) throw new Error(`the decode produced ${generated} of ${PROBE_TOKENS} tokens`);
  const devices = await llama.getGpuDeviceNames();
  await send({ type: 'passed', backend, devices, decodeMs });
  await context.dispose();
  await model.dispose();
  await llama.dispose();
}
