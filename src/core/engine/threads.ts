/**
 * llama.cpp's default thread count is far too high on small machines (about 40× slower on
 * 2 cores, see STACK-NOTES). An explicit setting wins; otherwise the physical cores, leaving
 * one for the worker's JS thread (sampling, detokenizing) when there are only two.
 */
export function resolveThreads(setting: string | number | undefined, cpuMathCores: number): number {
  const wanted = Number(setting);
  if (Number.isInteger(wanted) && wanted > 0) return wanted;
  return cpuMathCores <= 2 ? 1 : cpuMathCores;
}
