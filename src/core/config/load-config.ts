import { readFile } from 'node:fs/promises';
import { type z } from 'zod';
import { YAMLParseError, parse } from 'yaml';
import { type ConfigIssue, formatPath } from './config-issue';
import { type SwitchboardConfig, configSchema, emptyConfig } from './config-schema';
import { closestKey, knownKeysAt } from './known-keys';
import { protectReferences, resolveReferences } from './substitute-env';

export type ConfigLoad =
  | { ok: true; config: SwitchboardConfig; /** False when there was no file (an empty config). */ exists: boolean }
  | { ok: false; errors: ConfigIssue[] };

export interface LoadConfigOptions {
  /** Where `${VAR}` values come from; process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads and validates a config file. YAML, or JSON (which YAML reads too). A missing file is an
 * empty config, not an error; every other problem comes back as issues that name their path.
 */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<ConfigLoad> {
  return configFromRead(await readConfigFile(path), options);
}

/** The file's text, or null when there is no file. */
export type ConfigRead = { ok: true; text: string | null } | { ok: false; errors: ConfigIssue[] };

export async function readConfigFile(path: string): Promise<ConfigRead> {
  try {
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, text: null };
    return { ok: false, errors: [{ path: '', message: `cannot read ${path}: ${(error as Error).message}` }] };
  }
}

/** A read file → a validated config: no file is the empty config. */
export function configFromRead(read: ConfigRead, options: LoadConfigOptions = {}): ConfigLoad {
  if (!read.ok) return read;
  if (read.text === null) return { ok: true, config: emptyConfig(), exists: false };
  return parseConfigText(read.text, options);
}

/** The file's text → a validated config (the part of loadConfig after reading). */
export function parseConfigText(text: string, options: LoadConfigOptions = {}): ConfigLoad {
  const env = options.env ?? process.env;
  const protectedText = protectReferences(text);
  let tree: unknown;
  try {
    // prettyErrors off: its excerpt of the offending line could show a key.
    tree = parse(protectedText.text, { prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    return { ok: false, errors: [{ path: '', message: syntaxMessage(error, protectedText.text) }] };
  }
  if (tree === null || tree === undefined) return { ok: true, config: emptyConfig(), exists: true };
  if (typeof tree !== 'object' || Array.isArray(tree)) {
    return { ok: false, errors: [{ path: '', message: 'expected a mapping at the top (providers:, groups:, engine: …)' }] };
  }
  const issues: ConfigIssue[] = [];
  const resolved = resolveReferences(tree, protectedText, env, issues);
  if (issues.length > 0) return { ok: false, errors: issues };
  const result = configSchema.safeParse(resolved);
  if (!result.success) return { ok: false, errors: result.error.issues.map((issue) => toConfigIssue(issue, resolved)) };
  return { ok: true, config: result.data, exists: true };
}

function toConfigIssue(issue: z.core.$ZodIssue, tree: unknown): ConfigIssue {
  if (issue.code === 'unrecognized_keys') {
    return { path: formatPath(issue.path), message: unknownKeysMessage(issue.keys, knownKeysAt(configSchema, issue.path, tree)) };
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return { path: formatPath(issue.path), message: 'required' };
  }
  return { path: formatPath(issue.path), message: issue.message.replace(/^Invalid input: /, '') };
}

/** `unknown key "apikey" (did you mean "apiKey"?)`, or the keys allowed there when none is close. */
function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  const named = keys.map((k) => {
    const meant = closestKey(k, known);
    return meant === undefined ? `"${k}"` : `"${k}" (did you mean "${meant}"?)`;
  });
  const message = `unknown ${keys.length > 1 ? 'keys' : 'key'} ${named.join(', ')}`;
  if (known.length === 0 || keys.every((k) => closestKey(k, known) !== undefined)) return message;
  return `${message}; expected ${known.map((k) => `"${k}"`).join(', ')}`;
}

function syntaxMessage(error: unknown, text: string): string {
  if (error instanceof YAMLParseError) {
    const before = text.slice(0, error.pos[0]);
    const line = before.split('\n').length;
    const first = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    return `not valid YAML at line ${line}: ${first}`;
  }
  return `not valid YAML: ${error instanceof Error ? error.message : String(error)}`;
}
