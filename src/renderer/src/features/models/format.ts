/** Numbers as the model and download pages show them. Unknown stays visibly unknown (`—`), never 0. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Binary sizes with the usual short units: `512 B`, `1.5 KB`, `379 MB`, `4.37 GB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // three significant digits at most: 1.23 GB, 12.3 GB, 123 GB
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${+value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Parameter counts as model cards write them: `494M`, `7.2B`, `1.1T`. */
export function formatParameters(count: number | null | undefined): string {
  if (count === null || count === undefined || !Number.isFinite(count) || count <= 0) return '—';
  if (count >= 1e12) return `${+(count / 1e12).toFixed(1)}T`;
  if (count >= 1e9) return `${+(count / 1e9).toFixed(count >= 1e10 ? 0 : 1)}B`;
  if (count >= 1e6) return `${Math.round(count / 1e6)}M`;
  if (count >= 1e3) return `${Math.round(count / 1e3)}K`;
  return String(Math.round(count));
}

/** USD per million tokens: `$0.15`, `$0.0025`, `free`; `—` when unknown. */
export function formatPrice(usdPerMillion: number | null | undefined): string {
  if (usdPerMillion === null || usdPerMillion === undefined || !Number.isFinite(usdPerMillion)) return '—';
  if (usdPerMillion === 0) return 'free';
  return `$${usdPerMillion < 0.01 ? usdPerMillion.toPrecision(2) : +usdPerMillion.toFixed(2)}`;
}
