import { type ModelFit } from '../../../shared/contract';
import { type MachineMemory } from './machine-memory';

/**
 * Weights plus a modest context and compute buffers: what a GGUF file of this size needs once
 * loaded, roughly. A search result has only the file size; `hub.inspect` and `models.fit` ask
 * GgufInsights for the real figure.
 */
const OVERHEAD = 1.2;
/** Below this share of the weights on the GPU, offloading is not worth calling "partial". */
const MIN_PARTIAL_SHARE = 0.1;

/** A fit badge from the file size alone (`basis: 'file-size'`). */
export function fitFromFileSize(sizeBytes: number, machine: MachineMemory): ModelFit {
  const needed = sizeBytes * OVERHEAD;
  const vramFree = machine.vram === null || machine.backend === 'cpu' ? 0 : Math.max(0, machine.vram.total - machine.vram.used);
  const base = { basis: 'file-size' as const, gpuLayers: null, totalLayers: null, contextSize: null, backend: machine.backend };
  if (vramFree >= needed) return { ...base, mode: 'full-gpu', ramBytes: 0, vramBytes: needed };
  if (vramFree >= needed * MIN_PARTIAL_SHARE && machine.ram.free >= needed - vramFree) {
    return { ...base, mode: 'partial', ramBytes: needed - vramFree, vramBytes: vramFree };
  }
  if (machine.ram.free >= needed) return { ...base, mode: 'cpu', ramBytes: needed, vramBytes: 0 };
  return { ...base, mode: 'too-big', ramBytes: needed, vramBytes: 0 };
}
