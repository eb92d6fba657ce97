/**
 * Speed over a sliding window of recent samples, and the time left at that speed. A window (not
 * the average since start) so a resumed or throttled download shows what is happening now.
 */
export class ProgressMeter {
  private samples: Array<{ at: number; bytes: number }> = [];

  constructor(
    private readonly clock: () => number,
    private readonly windowMs = 5_000,
  ) {}

  /** Records the byte count now; call it on every chunk or a few times a second. */
  sample(bytes: number): void {
    const at = this.clock();
    const last = this.samples[this.samples.length - 1];
    // Every chunk calls this: one sample per 100 ms is plenty, and keeps the window small.
    if (last !== undefined && at - last.at < 100) return;
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - (this.samples[0] as { at: number }).at > this.windowMs) this.samples.shift();
  }

  reset(): void {
    this.samples = [];
  }

  /** Bytes per second, or null before there are two samples a moment apart. */
  speed(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (first === undefined || last === undefined || last.at - first.at < 200) return null;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }

  /** Seconds left for `total`, or null when the speed or the total is unknown. */
  eta(bytes: number, total: number | null): number | null {
    const speed = this.speed();
    if (total === null || speed === null || speed <= 0) return null;
    return Math.max(0, (total - bytes) / speed);
  }
}
