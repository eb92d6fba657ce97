import { z } from 'zod';

/**
 * The keys the config schema allows in the object at `path` of `tree` (the parsed file), so an
 * "unknown key" error can say which key was meant. Empty when the path leads to no object schema.
 * A union (the providers' `type`) is resolved by the literal fields the value at that point has.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], tree: unknown): string[] {
  let value = tree;
  let node = unwrap(schema, value);
  for (const key of path) {
    if (node === undefined) return [];
    value = childValue(value, key);
    node = unwrap(childSchema(node, key), value);
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

/** The known key an unknown one most likely meant: same letters in another case, or one or two typos away. */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  const sameLetters = known.find((k) => k.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  const budget = unknown.length <= 4 ? 1 : 2;
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(lower, key.toLowerCase());
    if (distance <= budget && (best === undefined || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}

function unwrap(schema: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  let node = schema;
  for (let depth = 0; node !== undefined && depth < 16; depth++) {
    if (node instanceof z.ZodOptional || node instanceof z.ZodNullable || node instanceof z.ZodDefault || node instanceof z.ZodPrefault) {
      node = node.unwrap() as z.ZodType;
    } else if (node instanceof z.ZodPipe) {
      node = node.in as z.ZodType;
    } else if (node instanceof z.ZodUnion) {
      node = pickOption(node.options as readonly z.ZodType[], value);
    } else {
      return node;
    }
  }
  return node;
}

/** The union option whose literal fields (a discriminator such as `type`) match the value's. */
function pickOption(options: readonly z.ZodType[], value: unknown): z.ZodType | undefined {
  const objects = options.filter((o): o is z.ZodObject => o instanceof z.ZodObject);
  return objects.find((option) =>
    Object.entries(option.shape).every(([key, field]) => !(field instanceof z.ZodLiteral) || field.values.has(childValue(value, key) as never)),
  );
}

function childSchema(node: z.ZodType, key: PropertyKey): z.ZodType | undefined {
  if (node instanceof z.ZodObject) return typeof key === 'string' ? (node.shape[key] as z.ZodType | undefined) : undefined;
  if (node instanceof z.ZodRecord) return node.valueType as z.ZodType;
  if (node instanceof z.ZodArray) return node.element as z.ZodType;
  return undefined;
}

function childValue(value: unknown, key: PropertyKey): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as Record<PropertyKey, unknown>)[key];
}

/** Levenshtein distance; config keys are short, so the plain table is fine. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
