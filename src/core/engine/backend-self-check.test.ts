import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestModel } from '../models/test-model';
import { createProcessProbe, type BackendProbe } from './backend-probe';
import type { EngineEvent } from './engine';
import { createEngine, defaultWorker } from './engine-client';
import { hasNoGpu, readMachineIdentity } from './machine-identity';
import { createFileVerdictStore } from './verdict-store';

// The real self-check on this machine, which has no GPU: node-llama-cpp finds no usable GPU type,
// so the check chooses the CPU without decoding anything, and remembers it.
let dir: string;
const writeProbeModel = async (path: string) => void (await writeTestModel(path, { preset: 'tiny' }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpu-check-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A probe that fails the test if it is used: the remembered verdict must be enough. */
const unusedProbe: BackendProbe = {
  detect: () => Promise.reject(new Error('detect should not run: the verdict is remembered')),
  probe: () => Promise.reject(new Error('probe should not run: the verdict is remembered')),
};

describe('GPU self-check on this machine (real processes)', () => {
  it("with gpu 'auto' chooses the CPU, remembers it, and the next start runs no check", async () => {
    const file = join(dir, 'gpu-check.json');
    const events: EngineEvent[] = [];
    // Real check processes, counted.
    const real = createProcessProbe({ worker: { execArgv: [], ...defaultWorker() }, writeProbeModel });
    const started: string[] = [];
    const probe: BackendProbe = {
      detect: () => {
        started.push('detect');
        return real.detect();
      },
      probe: (backend, onPhase) => {
        started.push(backend);
        return real.probe(backend, onPhase);
      },
    };
    const engine = createEngine({ gpu: 'auto', threads: 1, selfCheck: { store: createFileVerdictStore(file), writeProbeModel, probe } });
    engine.onEvent((e) => events.push(e));
    try {
      const report = await engine.checkBackends();
      expect(report).toMatchObject({ setting: 'auto', chosen: 'cpu', verdicts: [], fromCache: false });
      expect(report.machine).toContain(`${process.platform}-${process.arch}`);
      expect(report.machine).toMatch(/node-llama-cpp \d+\.\d+\.\d+/);
      const status = await engine.status();
      expect(status.backend).toBe('cpu');
      expect(status.selfCheck).toEqual(report);
      expect(events).toContainEqual(expect.objectContaining({ type: 'engine', state: 'started', backend: 'cpu' }));
      // Without any GPU device, not even the detection process starts.
      if (hasNoGpu(await readMachineIdentity())) expect(started).toEqual([]);
    } finally {
      await engine.dispose();
    }
    const saved = JSON.parse(await readFile(file, 'utf8')) as { machines: Record<string, { detected: string[] }> };
    expect(Object.values(saved.machines)).toEqual([expect.objectContaining({ detected: [], verdicts: [] })]);

    const again = createEngine({ gpu: 'auto', threads: 1, selfCheck: { store: createFileVerdictStore(file), writeProbeModel, probe: unusedProbe } });
    try {
      expect(await again.checkBackends()).toMatchObject({ chosen: 'cpu', fromCache: true });
      expect((await again.status()).backend).toBe('cpu');
    } finally {
      await again.dispose();
    }
  });

  it('a named backend with no usable build here is unavailable, and the engine runs on the CPU', async () => {
    const engine = createEngine({ gpu: 'vulkan', threads: 1, selfCheck: { store: createFileVerdictStore(join(dir, 'named.json')), writeProbeModel } });
    try {
      const report = await engine.checkBackends();
      expect(report.chosen).toBe('cpu');
      expect(report.verdicts).toEqual([expect.objectContaining({ backend: 'vulkan', status: 'unavailable' })]);
      expect((await engine.status()).backend).toBe('cpu');
    } finally {
      await engine.dispose();
    }
  });

  it("the detection process lists the GPU types node-llama-cpp can use here (none on this machine's CPU-only build)", async () => {
    const probe = createProcessProbe({ worker: { execArgv: [], ...defaultWorker() }, writeProbeModel });
    const detected = await probe.detect();
    expect(Array.isArray(detected)).toBe(true);
    if (hasNoGpu(await readMachineIdentity())) expect(detected).toEqual([]);
  });

  it('a check process that dies natively marks the backend broken, with the native error', async () => {
    const probe = createProcessProbe({
      worker: { path: fileURLToPath(new URL('./__fixtures__/dying-probe.ts', import.meta.url)), execArgv: ['--import', 'tsx'] },
      writeProbeModel,
    });
    const phases: string[] = [];
    const outcome = await probe.probe('cuda', (p) => phases.push(p));
    expect(phases).toEqual(['decoding']);
    expect(outcome.status).toBe('broken');
    expect(outcome.status !== 'ok' && outcome.reason).toMatch(/died \(signal SIGABRT\).*PTX/s);
  });
});
