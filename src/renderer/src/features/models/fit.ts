import type { ModelFit } from '../../../../shared/contract';
import { formatBytes } from './format';

export type FitTone = 'good' | 'ok' | 'slow' | 'bad';

const BACKENDS: Record<ModelFit['backend'], string> = { cpu: 'CPU', cuda: 'CUDA', vulkan: 'Vulkan', metal: 'Metal' };

/** The badge: a few words and a tone (green for all on the GPU, red when it won't fit at all). */
export function fitBadge(fit: ModelFit): { label: string; tone: FitTone } {
  switch (fit.mode) {
    case 'full-gpu':
      return { label: `Fits on GPU (${BACKENDS[fit.backend]})`, tone: 'good' };
    case 'partial':
      return {
        label: fit.gpuLayers !== null && fit.totalLayers !== null ? `Partly on GPU (${fit.gpuLayers}/${fit.totalLayers} layers)` : 'Partly on GPU',
        tone: 'ok',
      };
    case 'cpu':
      return { label: 'CPU only', tone: 'slow' };
    case 'too-big':
      return { label: 'Too big for this machine', tone: 'bad' };
  }
}

/** The tooltip: memory it would take, the context that leaves room for, and how it was worked out. */
export function describeFit(fit: ModelFit): string {
  const parts = [`about ${formatBytes(fit.ramBytes)} RAM`];
  if (fit.vramBytes > 0) parts.push(`${formatBytes(fit.vramBytes)} VRAM`);
  if (fit.contextSize !== null) parts.push(`context up to ${fit.contextSize.toLocaleString('en-US')} tokens`);
  parts.push(fit.basis === 'gguf-insights' ? 'estimated from the GGUF header' : 'rough estimate from the file size');
  return parts.join(' · ');
}
