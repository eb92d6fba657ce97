import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Llama, getLlama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestModel } from '../models/test-model';
import { estimateFit, fitMode } from './worker-fit';

let dir: string;
let llama: Llama;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-fit-'));
  llama = await getLlama({ gpu: false, build: 'never' });
});

afterAll(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('estimateFit (GgufInsights on this machine)', () => {
  it('estimates generated models of two shapes on the CPU: layers, trained context, memory growing with the shape', async () => {
    const tiny = await writeTestModel(join(dir, 'tiny.gguf'), { preset: 'tiny' });
    const small = await writeTestModel(join(dir, 'small.gguf'), { preset: 'small' });
    const tinyFit = await estimateFit(llama, { source: tiny.path });
    const smallFit = await estimateFit(llama, { source: small.path });
    // tiny: 2 blocks (+ the output layer); small: 8 blocks (+ output). Both trained on 2048 tokens.
    expect(tinyFit).toMatchObject({ mode: 'cpu', backend: 'cpu', gpuLayers: 0, totalLayers: 3, contextSize: 2048, vramBytes: 0 });
    expect(smallFit).toMatchObject({ mode: 'cpu', backend: 'cpu', gpuLayers: 0, totalLayers: 9, contextSize: 2048, vramBytes: 0 });
    expect(tinyFit.ramBytes).toBeGreaterThan(tiny.sizeBytes);
    expect(smallFit.ramBytes).toBeGreaterThan(small.sizeBytes);
    expect(smallFit.ramBytes).toBeGreaterThan(tinyFit.ramBytes);
  });

  it('fails with the reader error for a file that is not GGUF', async () => {
    await expect(estimateFit(llama, { source: join(dir, 'missing.gguf') })).rejects.toThrow();
  });
});

describe('fitMode', () => {
  it('maps the resolved configuration to full GPU, partial, CPU or too big', () => {
    expect(fitMode({ compatibilityScore: 1, gpuLayers: 33, totalLayers: 33, backend: 'vulkan' })).toBe('full-gpu');
    expect(fitMode({ compatibilityScore: 0.6, gpuLayers: 12, totalLayers: 33, backend: 'cuda' })).toBe('partial');
    expect(fitMode({ compatibilityScore: 0.3, gpuLayers: 0, totalLayers: 33, backend: 'cuda' })).toBe('cpu');
    expect(fitMode({ compatibilityScore: 1, gpuLayers: 0, totalLayers: 33, backend: 'cpu' })).toBe('cpu');
    expect(fitMode({ compatibilityScore: 0, gpuLayers: 0, totalLayers: 33, backend: 'cpu' })).toBe('too-big');
  });
});
