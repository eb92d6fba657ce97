/** Fills with uniform noise of the given standard deviation (uniform is cheap and enough here). */
export function fillUniform(out: Float32Array, std: number, next: () => number): Float32Array {
  const half = std * Math.sqrt(3);
  for (let i = 0; i < out.length; i++) out[i] = (next() * 2 - 1) * half;
  return out;
}
