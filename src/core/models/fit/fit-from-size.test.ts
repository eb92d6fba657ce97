import { describe, expect, it } from 'vitest';
import { fitFromFileSize } from './fit-from-size';

const GiB = 1024 ** 3;

describe('fitFromFileSize', () => {
  it('puts a model that fits in free VRAM fully on the GPU', () => {
    const fit = fitFromFileSize(4 * GiB, { backend: 'vulkan', vram: { total: 24 * GiB, used: 2 * GiB }, ram: { total: 64 * GiB, free: 32 * GiB } });
    expect(fit).toMatchObject({ mode: 'full-gpu', basis: 'file-size', backend: 'vulkan', ramBytes: 0 });
    expect(fit.vramBytes).toBeCloseTo(4.8 * GiB);
  });

  it('splits a model larger than free VRAM between GPU and RAM', () => {
    const fit = fitFromFileSize(20 * GiB, { backend: 'cuda', vram: { total: 8 * GiB, used: 0 }, ram: { total: 64 * GiB, free: 40 * GiB } });
    expect(fit.mode).toBe('partial');
    expect(fit.vramBytes).toBe(8 * GiB);
    expect(fit.ramBytes).toBeCloseTo(16 * GiB);
  });

  it('runs on the CPU when there is no GPU backend, and is too big when RAM is short too', () => {
    const cpu = { backend: 'cpu' as const, vram: null, ram: { total: 16 * GiB, free: 8 * GiB } };
    expect(fitFromFileSize(1 * GiB, cpu).mode).toBe('cpu');
    expect(fitFromFileSize(7 * GiB, cpu).mode).toBe('too-big');
  });

  it('ignores VRAM figures on the CPU backend', () => {
    const fit = fitFromFileSize(1 * GiB, { backend: 'cpu', vram: { total: 80 * GiB, used: 0 }, ram: { total: 16 * GiB, free: 8 * GiB } });
    expect(fit.mode).toBe('cpu');
  });
});
