import { describe, expect, it } from 'vitest';
import type { ModelFit } from '../../../../shared/contract';
import { describeFit, fitBadge } from './fit';

const fit = (patch: Partial<ModelFit>): ModelFit => ({
  mode: 'full-gpu',
  basis: 'gguf-insights',
  gpuLayers: 24,
  totalLayers: 24,
  contextSize: 32768,
  ramBytes: 512 * 1024 ** 2,
  vramBytes: 1.5 * 1024 ** 3,
  backend: 'vulkan',
  ...patch,
});

describe('fit badges', () => {
  it('names each mode with a tone', () => {
    expect(fitBadge(fit({}))).toEqual({ label: 'Fits on GPU (Vulkan)', tone: 'good' });
    expect(fitBadge(fit({ mode: 'partial', gpuLayers: 10, totalLayers: 28 }))).toEqual({ label: 'Partly on GPU (10/28 layers)', tone: 'ok' });
    expect(fitBadge(fit({ mode: 'partial', gpuLayers: null, totalLayers: null, basis: 'file-size' })).label).toBe('Partly on GPU');
    expect(fitBadge(fit({ mode: 'cpu', backend: 'cpu' }))).toEqual({ label: 'CPU only', tone: 'slow' });
    expect(fitBadge(fit({ mode: 'too-big' })).tone).toBe('bad');
  });

  it('explains the estimate in the tooltip', () => {
    expect(describeFit(fit({}))).toBe('about 512 MB RAM · 1.5 GB VRAM · context up to 32,768 tokens · estimated from the GGUF header');
    expect(describeFit(fit({ vramBytes: 0, contextSize: null, basis: 'file-size' }))).toBe('about 512 MB RAM · rough estimate from the file size');
  });
});
