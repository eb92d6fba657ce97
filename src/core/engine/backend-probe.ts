import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { GpuBackend } from './engine';
import { probeMessageSchema, WORKER_ENV, type ProbeMessage } from './protocol';
import { workerEnvironment } from './worker-environment';

export type ProbePhase = 'loading' | 'decoding' | 'compiling-shaders';

export type ProbeOutcome =
  | { status: 'ok'; devices: string[]; decodeMs: number; durationMs: number }
  | { status: 'unavailable' | 'broken'; reason: string; durationMs: number };

/** Runs self-checks; the decision logic (backend-check.ts) takes any implementation, so tests can fake one. */
export interface BackendProbe {
  /** GPU types with libraries and drivers present, best first. */
  detect(): Promise<GpuBackend[]>;
  /** One tiny decode on `backend`, in a process of its own. */
  probe(backend: GpuBackend, onPhase?: (phase: ProbePhase) => void): Promise<ProbeOutcome>;
}

export interface ProcessProbeOptions {
  worker: { path: string; execArgv: string[]; env?: Record<string, string> };
  /** Writes the tiny GGUF the check decodes with (the composition root passes the test-model writer). */
  writeProbeModel: (path: string) => Promise<void>;
  /** A check that has not answered by then is broken (a hung driver). Vulkan's first shader compile needs up to ~20 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
/** The last lines of the check's output go into a broken verdict: they carry the native error (a CUDA PTX mismatch, say). */
const KEPT_LINES = 6;

/** Self-checks in real child processes: worker.ts in probe mode. */
export function createProcessProbe(options: ProcessProbeOptions): BackendProbe {
  const runChild = async (backend: GpuBackend | 'detect', modelPath: string | undefined, onMessage: (m: ProbeMessage) => void) => {
    const lines: string[] = [];
    const child = fork(options.worker.path, [], {
      execArgv: options.worker.execArgv,
      env: {
        ...workerEnvironment(process.env),
        ...options.worker.env,
        [WORKER_ENV.mode]: 'probe',
        [WORKER_ENV.probeBackend]: backend,
        ...(modelPath !== undefined && { [WORKER_ENV.probeModel]: modelPath }),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        if (lines.length > KEPT_LINES) lines.shift();
      });
    }
    child.on('message', (raw: unknown) => {
      const parsed = probeMessageSchema.safeParse(raw);
      if (parsed.success) onMessage(parsed.data);
    });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal }));
      child.on('error', () => resolve({ code: null, signal: null }));
    });
    clearTimeout(timer);
    const how = timedOut ? `no answer in ${Math.round(timeoutMs / 1000)} s` : exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    return { how, output: lines.join('\n') };
  };

  return {
    async detect() {
      let detected: GpuBackend[] | undefined;
      let failure: string | undefined;
      const { how, output } = await runChild('detect', undefined, (m) => {
        if (m.type === 'detected') detected = m.backends;
        if (m.type === 'errored') failure = m.message;
      });
      if (detected) return detected;
      throw new Error(`the GPU detection process failed (${failure ?? how})${output ? `: ${output}` : ''}`);
    },

    async probe(backend, onPhase) {
      const started = performance.now();
      const dir = await mkdtemp(join(tmpdir(), 'switchboard-gpu-check-'));
      try {
        const modelPath = join(dir, 'probe.gguf');
        await options.writeProbeModel(modelPath);
        let last: ProbeMessage | undefined;
        const { how, output } = await runChild(backend, modelPath, (m) => {
          if (m.type === 'phase') onPhase?.(m.phase);
          else last = m;
        });
        const durationMs = performance.now() - started;
        if (last?.type === 'passed') return { status: 'ok', devices: last.devices, decodeMs: last.decodeMs, durationMs };
        if (last?.type === 'unavailable') return { status: 'unavailable', reason: last.message, durationMs };
        if (last?.type === 'errored') return { status: 'broken', reason: `the check failed: ${last.message}`, durationMs };
        return { status: 'broken', reason: `the check process died (${how})${output ? `: ${output}` : ''}`, durationMs };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
