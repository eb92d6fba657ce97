/** One benchmark row: ours against a reference, measured in the same run. */
export interface BenchRow {
  /** Short kebab-case name, shown in the table and used to pick rows on the command line. */
  name: string;
  description: string;
  run(context: BenchContext): Promise<BenchResult>;
}

export interface BenchContext {
  /** A temp folder for this row; removed after the row ends. */
  tmpDir: string;
  log: (line: string) => void;
}

export interface BenchResult {
  ours: number;
  reference: number;
  /** The unit of `ours` and `reference`, e.g. "tok/s". */
  unit: string;
  /** ours / reference for higher-is-better, reference / ours for lower-is-better: > 1 means we are better. */
  ratio: number;
  /** The goal in words, e.g. "≥ 0.97×". */
  target: string;
  pass: boolean;
  note?: string;
}

/** For rows where a bigger number is better (throughput). */
export function higherIsBetter(ours: number, reference: number, unit: string, minRatio: number, note?: string): BenchResult {
  const ratio = ours / reference;
  return { ours, reference, unit, ratio, target: `≥ ${minRatio.toFixed(2)}×`, pass: ratio >= minRatio, note };
}

/** For rows where a smaller number is better (latency). */
export function lowerIsBetter(ours: number, reference: number, unit: string, minRatio: number, note?: string): BenchResult {
  const ratio = reference / ours;
  return { ours, reference, unit, ratio, target: `≥ ${minRatio.toFixed(2)}×`, pass: ratio >= minRatio, note };
}

export function defineRow(row: BenchRow): BenchRow {
  return row;
}
