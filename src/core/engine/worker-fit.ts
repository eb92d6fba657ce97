import { GgufInsights, type Llama, readGgufFileInfo } from 'node-llama-cpp';
import { type FitRequest, type FitResult } from './protocol';

/**
 * How a GGUF file would run with this worker's backend, from node-llama-cpp's GgufInsights:
 * `configurationResolver.resolveAndScoreConfig()` picks the GPU layers and the largest context
 * (up to the trained one) that fit the free VRAM and RAM, as a load with `auto` settings would.
 * A URL is read with HTTP Range requests (the header only). Runs here, not in the host, because
 * the estimate simulates the load in llama.cpp's native code on the real backend.
 */
export async function estimateFit(llama: Llama, request: FitRequest): Promise<FitResult> {
  const remote = /^https?:\/\//i.test(request.source);
  const info = await readGgufFileInfo(request.source, {
    sourceType: remote ? 'network' : 'filesystem',
    ...(request.headers !== undefined && { fetchHeaders: request.headers }),
    logWarnings: false,
  });
  const insights = await GgufInsights.from(info, llama);
  const { compatibilityScore, resolvedValues } = await insights.configurationResolver.resolveAndScoreConfig();
  const backend = llama.gpu === false ? 'cpu' : llama.gpu;
  return {
    mode: fitMode({ compatibilityScore, gpuLayers: resolvedValues.gpuLayers, totalLayers: insights.totalLayers, backend }),
    gpuLayers: backend === 'cpu' ? 0 : resolvedValues.gpuLayers,
    totalLayers: insights.totalLayers,
    contextSize: resolvedValues.contextSize,
    ramBytes: resolvedValues.totalRamUsage,
    vramBytes: resolvedValues.totalVramUsage,
    backend,
  };
}

/** A score of 0 means it does not fit even on the CPU; otherwise the offloaded share decides. */
export function fitMode(r: { compatibilityScore: number; gpuLayers: number; totalLayers: number; backend: FitResult['backend'] }): FitResult['mode'] {
  if (r.compatibilityScore <= 0) return 'too-big';
  if (r.backend === 'cpu' || r.gpuLayers <= 0) return 'cpu';
  return r.gpuLayers >= r.totalLayers ? 'full-gpu' : 'partial';
}
