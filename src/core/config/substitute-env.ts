import { randomBytes } from 'node:crypto';
import { type ConfigIssue, formatPath } from './config-issue';

/**
 * `${VAR}` and `${VAR:-default}` substitution in two steps, so the sketch's flow mappings
 * (`{ apiKey: ${OPENAI_API_KEY} }`, where `{` and `}` would break YAML) still parse, and an
 * unset variable is reported at the path that uses it:
 *
 * 1. `protectReferences` swaps every reference in the raw text for an inert token;
 * 2. after parsing, `resolveReferences` walks the tree and puts the values in.
 *
 * `$${VAR}` is a literal `${VAR}`. References in comments vanish with the comments.
 */

export interface ProtectedText {
  text: string;
  references: ReadonlyMap<string, EnvReference>;
  /** Matches one token. */
  tokenPattern: RegExp;
}

export interface EnvReference {
  name: string;
  /** Present for `${VAR:-default}`: used when VAR is unset or empty. */
  fallback?: string;
  /** For `$${…}`: the literal text to restore. */
  literal?: string;
}

const REFERENCE_RE = /\$?\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}\n]*))?\}/g;

export function protectReferences(raw: string): ProtectedText {
  const nonce = randomBytes(6).toString('hex');
  const references = new Map<string, EnvReference>();
  let index = 0;
  const text = raw.replace(REFERENCE_RE, (match: string, name: string, fallback: string | undefined) => {
    const token = `SBENV${nonce}N${index++}Z`;
    references.set(token, match.startsWith('$$') ? { name, literal: match.slice(1) } : fallback === undefined ? { name } : { name, fallback });
    return token;
  });
  return { text, references, tokenPattern: new RegExp(`SBENV${nonce}N\\d+Z`, 'g') };
}

/** Returns the tree with every token replaced by its value; unset variables become issues at their path. */
export function resolveReferences(
  value: unknown,
  protectedText: ProtectedText,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  path: readonly (string | number)[] = [],
): unknown {
  if (protectedText.references.size === 0) return value;
  if (typeof value === 'string') return resolveString(value, protectedText, env, issues, path);
  if (Array.isArray(value)) return value.map((item, i) => resolveReferences(item, protectedText, env, issues, [...path, i]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolvedKey = resolveString(key, protectedText, env, issues, path);
      out[resolvedKey] = resolveReferences(item, protectedText, env, issues, [...path, resolvedKey]);
    }
    return out;
  }
  return value;
}

function resolveString(
  text: string,
  { references, tokenPattern }: ProtectedText,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  path: readonly (string | number)[],
): string {
  return text.replace(tokenPattern, (token) => {
    const ref = references.get(token);
    if (ref === undefined) return token;
    if (ref.literal !== undefined) return ref.literal;
    const set = env[ref.name];
    if (set !== undefined && (set !== '' || ref.fallback === undefined)) return set;
    if (ref.fallback !== undefined) return ref.fallback;
    issues.push({
      path: formatPath(path),
      message: `environment variable ${ref.name} is not set (set it, or write \${${ref.name}:-default})`,
    });
    return '';
  });
}
