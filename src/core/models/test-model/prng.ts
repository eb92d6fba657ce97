/** A small seeded PRNG (mulberry32), so a seed always gives the same weights. */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills with uniform noise of the given standard deviation (uniform is cheap and enough here). */
export function fillUniform(out: Float32Array, std: number, next: () => number): Float32Array {
  const half = std * Math.sqrt(3);
  for (let i = 0; i < out.length; i++) out[i] = (next() * 2 - 1) * half;
  return out;
}
