import type { z } from 'zod';

/** JSON columns are parsed back through their schema: a bad row reads as null, never as a wrong shape. */
export function readJsonColumn<T>(value: string | null, schema: z.ZodType<T>): T | null {
  if (value === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeJsonColumn(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
