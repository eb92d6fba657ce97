import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseBackend, type BackendCheckDeps } from './backend-check';
import type { BackendProbe, ProbeOutcome } from './backend-probe';
import type { EngineEvent, GpuBackend } from './engine';
import type { MachineIdentity } from './machine-identity';
import { createFileVerdictStore, createMemoryVerdictStore } from './verdict-store';

type Behaviour = 'passes' | 'dies' | 'errors' | 'unavailable' | 'compiles-then-passes';

/** A probe whose outcome per backend is scripted; it counts what it was asked to do. */
function fakeProbe(detected: GpuBackend[], behaviour: Partial<Record<GpuBackend, Behaviour>>) {
  const calls: string[] = [];
  const probe: BackendProbe = {
    async detect() {
      calls.push('detect');
      return detected;
    },
    async probe(backend, onPhase): Promise<ProbeOutcome> {
      calls.push(backend);
      switch (behaviour[backend] ?? 'unavailable') {
        case 'passes':
          return { status: 'ok', devices: ['Fake GPU'], decodeMs: 3, durationMs: 40 };
        case 'compiles-then-passes':
          onPhase?.('compiling-shaders');
          return { status: 'ok', devices: ['Fake GPU'], decodeMs: 15_000, durationMs: 16_000 };
        case 'dies':
          return { status: 'broken', reason: 'the check process died (signal SIGABRT): CUDA error: the provided PTX was compiled with an unsupported toolchain', durationMs: 900 };
        case 'errors':
          return { status: 'broken', reason: 'the check failed: vk::Queue::submit: ErrorDeviceLost', durationMs: 500 };
        case 'unavailable':
          return { status: 'unavailable', reason: `no usable ${backend} build`, durationMs: 300 };
      }
    },
  };
  return { probe, calls };
}

const h100 = (driver: string): MachineIdentity => ({ platform: 'linux', arch: 'x64', gpus: ['NVIDIA H100 80GB HBM3'], driver, nodeLlamaCpp: '3.21.1' });

function deps(probe: BackendProbe, overrides: Partial<BackendCheckDeps> = {}): BackendCheckDeps & { events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  return { probe, store: createMemoryVerdictStore(), machine: async () => h100('580.159.04'), onEvent: (e) => events.push(e), now: () => 1_000, events, ...overrides };
}

describe('chooseBackend: the GPU self-check decision', () => {
  it("auto where CUDA's check process dies falls back to Vulkan, and says why", async () => {
    const { probe, calls } = fakeProbe(['cuda', 'vulkan'], { cuda: 'dies', vulkan: 'passes' });
    const d = deps(probe);
    const report = await chooseBackend('auto', d);
    expect(report.chosen).toBe('vulkan');
    expect(calls).toEqual(['detect', 'cuda', 'vulkan']);
    expect(report.verdicts.map((v) => [v.backend, v.status])).toEqual([
      ['cuda', 'broken'],
      ['vulkan', 'ok'],
    ]);
    expect(report.verdicts[0]?.reason).toMatch(/PTX/);
    expect(d.events.at(-1)).toMatchObject({ type: 'backend', state: 'chosen', backend: 'vulkan', message: expect.stringContaining('cuda failed the self-check') });
  });

  it('an erroring backend is broken too, and the CPU is the last resort', async () => {
    const { probe } = fakeProbe(['cuda', 'vulkan'], { cuda: 'dies', vulkan: 'errors' });
    const report = await chooseBackend('auto', deps(probe));
    expect(report.chosen).toBe('cpu');
    expect(report.verdicts.map((v) => v.status)).toEqual(['broken', 'broken']);
  });

  it('stops at the first backend that passes (the best one is not second-guessed)', async () => {
    const { probe, calls } = fakeProbe(['cuda', 'vulkan'], { cuda: 'passes', vulkan: 'dies' });
    expect((await chooseBackend('auto', deps(probe))).chosen).toBe('cuda');
    expect(calls).toEqual(['detect', 'cuda']);
  });

  it('a machine with no usable GPU type chooses the CPU without running any check', async () => {
    const { probe, calls } = fakeProbe([], {});
    const report = await chooseBackend('auto', deps(probe));
    expect(report).toMatchObject({ chosen: 'cpu', verdicts: [], fromCache: false });
    expect(calls).toEqual(['detect']);
  });

  it('a Linux machine without any GPU device starts no process at all', async () => {
    const { probe, calls } = fakeProbe(['vulkan'], { vulkan: 'passes' });
    const bare: MachineIdentity = { platform: 'linux', arch: 'x64', gpus: [], driver: 'none', nodeLlamaCpp: '3.21.1' };
    const report = await chooseBackend('auto', deps(probe, { machine: async () => bare }));
    expect(report).toMatchObject({ chosen: 'cpu', verdicts: [] });
    expect(calls).toEqual([]);
    // A backend named in the config is still checked.
    expect((await chooseBackend('vulkan', deps(probe, { machine: async () => bare }))).chosen).toBe('vulkan');
  });

  it('a named backend that fails its check falls back to the CPU, not to another GPU', async () => {
    const { probe, calls } = fakeProbe(['cuda', 'vulkan'], { cuda: 'dies', vulkan: 'passes' });
    const report = await chooseBackend('cuda', deps(probe));
    expect(report.chosen).toBe('cpu');
    expect(calls).toEqual(['cuda']);
  });

  it('gpu: false runs no check at all', async () => {
    const { probe, calls } = fakeProbe(['cuda'], { cuda: 'passes' });
    expect((await chooseBackend(false, deps(probe))).chosen).toBe('cpu');
    expect(calls).toEqual([]);
  });

  it("shows Vulkan's shader compilation as its own step", async () => {
    const { probe } = fakeProbe(['vulkan'], { vulkan: 'compiles-then-passes' });
    const d = deps(probe);
    await chooseBackend('auto', d);
    expect(d.events.map((e) => (e.type === 'backend' ? `${e.backend}:${e.state}` : e.type))).toEqual([
      'vulkan:checking',
      'vulkan:compiling-shaders',
      'vulkan:ok',
      'vulkan:chosen',
    ]);
  });

  it('a detection that fails leaves the CPU in use and is not remembered', async () => {
    const store = createMemoryVerdictStore();
    const probe: BackendProbe = {
      detect: async () => {
        throw new Error('the GPU detection process failed (signal SIGSEGV)');
      },
      probe: async () => ({ status: 'ok', devices: [], decodeMs: 1, durationMs: 1 }),
    };
    const report = await chooseBackend('auto', deps(probe, { store }));
    expect(report.chosen).toBe('cpu');
    expect(await store.read(report.machine)).toBeUndefined();
  });
});

describe('remembered verdicts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verdicts-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are reused on the same machine and driver, and checked again after a driver update', async () => {
    const file = join(dir, 'gpu-check.json');
    const store = createFileVerdictStore(file);
    const first = fakeProbe(['cuda', 'vulkan'], { cuda: 'dies', vulkan: 'passes' });
    await chooseBackend('auto', deps(first.probe, { store }));

    const again = fakeProbe(['cuda', 'vulkan'], { cuda: 'dies', vulkan: 'passes' });
    const cached = await chooseBackend('auto', deps(again.probe, { store }));
    expect(cached).toMatchObject({ chosen: 'vulkan', fromCache: true });
    expect(again.calls).toEqual([]);

    // The new driver fixes CUDA: its verdict is not the old driver's.
    const updated = fakeProbe(['cuda', 'vulkan'], { cuda: 'passes', vulkan: 'passes' });
    const report = await chooseBackend('auto', deps(updated.probe, { store, machine: async () => h100('590.10') }));
    expect(report).toMatchObject({ chosen: 'cuda', fromCache: false });
    expect(report.machine).toContain('driver 590.10');
    expect(updated.calls).toEqual(['detect', 'cuda']);

    const saved = JSON.parse(await readFile(file, 'utf8')) as { machines: Record<string, unknown> };
    expect(Object.keys(saved.machines)).toHaveLength(2);
    expect(Object.keys(saved.machines).some((k) => k.includes('580.159.04') && k.includes('node-llama-cpp 3.21.1'))).toBe(true);
  });

  it('force checks again and replaces the verdicts', async () => {
    const store = createFileVerdictStore(join(dir, 'gpu-check.json'));
    await chooseBackend('auto', deps(fakeProbe(['cuda'], { cuda: 'dies' }).probe, { store }));
    const fixed = fakeProbe(['cuda'], { cuda: 'passes' });
    expect((await chooseBackend('auto', deps(fixed.probe, { store }))).chosen).toBe('cpu');
    expect((await chooseBackend('auto', deps(fixed.probe, { store }), { force: true })).chosen).toBe('cuda');
    expect((await chooseBackend('auto', deps(fakeProbe([], {}).probe, { store }))).chosen).toBe('cuda');
  });

  it('a corrupt verdict file counts as none (the check runs again) and is rewritten whole', async () => {
    const file = join(dir, 'gpu-check.json');
    await writeFile(file, '{"version": 1, "machines": {"x": ');
    const problems: string[] = [];
    const store = createFileVerdictStore(file, (p) => problems.push(p));
    const { probe, calls } = fakeProbe(['vulkan'], { vulkan: 'passes' });
    expect((await chooseBackend('auto', deps(probe, { store }))).chosen).toBe('vulkan');
    expect(calls).toEqual(['detect', 'vulkan']);
    expect(problems[0]).toMatch(/not a valid verdict file/);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1 });
  });
});
