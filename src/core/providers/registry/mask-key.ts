/**
 * A key as the UI may see it: its kind prefix and last four characters (`sk-…abcd`), never more.
 * Short keys show only their prefix: four characters of an eight-character key is half of it.
 */
export function maskKey(key: string): string {
  const prefix = /^([A-Za-z]{2,8}-)/.exec(key)?.[1] ?? '';
  if (key.length < 16) return `${prefix}…`;
  return `${prefix}…${key.slice(-4)}`;
}
