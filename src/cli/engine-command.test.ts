import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackendCheckInfo, type EngineStatusInfo, engineContract } from '../shared/contract';
import { writeTestModel } from '../core/models/test-model';
import { describeProgress, formatSelfCheck } from './commands/engine-command';
import { runCli } from './run-cli';
import { memoryIo } from './testing/memory-io';

/** `switchboard engine …` on a data dir with one tiny model, on this machine (no GPU). */
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-cli-engine-'));
  mkdirSync(join(dir, 'models'));
  await writeTestModel(join(dir, 'models', 'tiny.gguf'), { preset: 'tiny' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const io = memoryIo();
  const code = await runCli([...args, '--data-dir', dir], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
};

describe('switchboard engine', () => {
  it('gpu-check chooses the CPU here and remembers it; the second run says so', async () => {
    const first = await run('engine', 'gpu-check', '--json');
    expect(first.code).toBe(0);
    const report = engineContract['engine.check'].output.parse(JSON.parse(first.stdout)) as BackendCheckInfo;
    expect(report).toMatchObject({ chosen: 'cpu', fromCache: false });

    const second = await run('engine', 'gpu-check');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^backend: cpu \(chosen by the self-check\)/);
    expect(second.stdout).toContain('remembered for this machine and driver');
  });

  it('load reports the model with the flags applied, and its progress on stderr', async () => {
    const res = await run('engine', 'load', 'local/tiny', '--context-size', '256', '--threads', '1');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/local\/tiny\s+\S+ \S+\s+256\s+0\s+1\s+off\s+f16\s+0/);
    expect(res.stderr).toMatch(/local\/tiny loading 0%/);
    expect(res.stderr).toMatch(/local\/tiny ready/);
  });

  it('status shows the backend, the budget and the self-check', async () => {
    const res = await run('engine', 'status', '--json');
    expect(res.code).toBe(0);
    const status = engineContract['engine.status'].output.parse(JSON.parse(res.stdout)) as EngineStatusInfo;
    expect(status).toMatchObject({ backend: 'cpu', memoryBudget: { source: 'free-memory' }, selfCheck: { chosen: 'cpu', fromCache: true }, models: [] });
    expect(status.memoryBudget.bytes).toBeGreaterThan(0);
  });

  it('refuses bad flags and unknown models with a clear message', async () => {
    const flags = await run('engine', 'load', 'local/tiny', '--gpu-layers', 'lots');
    expect(flags.code).not.toBe(0);
    expect(flags.stderr).toContain('--gpu-layers: expected auto, max or a number of layers');
    const unknown = await run('engine', 'unload', 'local/nope');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no local model "local/nope"');
  });
});

describe('engine output', () => {
  it('names a broken backend and why', () => {
    const text = formatSelfCheck({
      setting: 'auto',
      chosen: 'vulkan',
      fromCache: false,
      machine: 'linux-x64 | NVIDIA H100 | driver 580.159.04 | node-llama-cpp 3.21.1',
      verdicts: [
        { backend: 'cuda', status: 'broken', reason: 'the check process died (signal SIGABRT)', checkedAt: 1, durationMs: 2100 },
        { backend: 'vulkan', status: 'ok', reason: 'a tiny decode worked (14000 ms)', checkedAt: 1, durationMs: 15_000 },
      ],
    });
    expect(text).toMatch(/cuda\s+broken\s+2\.1 s\s+the check process died/);
    expect(text).toMatch(/vulkan\s+ok\s+15\.0 s/);
    expect(describeProgress({ kind: 'backend', backend: 'vulkan', state: 'compiling-shaders', message: 'shaders' })).toBe('gpu-check vulkan compiling-shaders: shaders');
  });
});
