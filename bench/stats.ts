export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs both sides `count` times in pairs, alternating which goes first, so drift in the machine's
 * load favours neither. The two runs of a pair are adjacent in time: compare them pair by pair.
 */
export async function interleaved<T>(
  count: number,
  ours: () => Promise<T>,
  theirs: () => Promise<T>,
  onPair?: (ours: T, theirs: T, index: number) => void,
): Promise<{ oursRuns: T[]; theirRuns: T[] }> {
  const oursRuns: T[] = [];
  const theirRuns: T[] = [];
  for (let i = 0; i < count; i++) {
    let o: T;
    let t: T;
    if (i % 2 === 0) {
      o = await ours();
      t = await theirs();
    } else {
      t = await theirs();
      o = await ours();
    }
    oursRuns.push(o);
    theirRuns.push(t);
    onPair?.(o, t, i);
  }
  return { oursRuns, theirRuns };
}
