import { type Document, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import writeFileAtomic from 'write-file-atomic';
import { type ConfigIssue, formatIssues } from './config-issue';
import { type SwitchboardConfig } from './config-schema';
import { type LoadConfigOptions, parseConfigText, readConfigFile } from './load-config';
import { type ProtectedText, protectReferences } from './substitute-env';

/**
 * Edits of switchboard.yaml that keep what the user wrote: comments, key order, flow or block
 * style and quoting stay (the `yaml` package's Document API; spacing inside a line is
 * normalised). Every edit is validated with the config schema before anything is written, and
 * written by temp file + rename, so the file is always either the old text or the new one.
 * `${VAR}` references survive as written: they are swapped for inert tokens while the document
 * is edited (as the loader does) and put back before writing.
 */

/** An edit of the parsed document, e.g. `doc => doc.setIn(['budgets', 0, 'daily'], 5)`. May throw ConfigEditError to refuse. */
export type ConfigEdit = (doc: Document, tools: ConfigEditTools) => void;

export interface ConfigEditTools {
  /** The `${NAME}` a scalar at `path` refers to, when its whole value is one reference. */
  referenceAt(path: readonly (string | number)[]): string | undefined;
}

export type ConfigEditResult = { ok: true; text: string; config: SwitchboardConfig } | { ok: false; errors: ConfigIssue[] };

/** An edit refused: its issues name the path that would be wrong (`budgets[0].daily: expected a number`). */
export class ConfigEditError extends Error {
  override readonly name = 'ConfigEditError';
  constructor(readonly issues: ConfigIssue[]) {
    super(`the change was not saved: ${formatIssues(issues)}`);
  }
}

/** Applies `edit` to a config file's text (null: no file yet) and validates the result. Pure apart from `edit`. */
export function applyConfigEdit(text: string | null, edit: ConfigEdit, options: LoadConfigOptions = {}): ConfigEditResult {
  const protectedText = protectReferences(text ?? '');
  const doc = parseDocument(protectedText.text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, errors: [{ path: '', message: `the file has a YAML error (${doc.errors[0]?.code ?? 'syntax'}); fix it by hand before editing it here` }] };
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    return { ok: false, errors: [{ path: '', message: 'expected a mapping at the top (providers:, groups:, engine: …); fix the file by hand first' }] };
  }
  try {
    edit(doc, { referenceAt: (path) => referenceAt(doc, protectedText, path) });
  } catch (error) {
    if (error instanceof ConfigEditError) return { ok: false, errors: error.issues };
    throw error;
  }
  // lineWidth 0: never fold a long line the user wrote on one line.
  const next = restoreReferences(doc.toString({ lineWidth: 0 }), protectedText);
  const loaded = parseConfigText(next, options);
  if (!loaded.ok) return { ok: false, errors: loaded.errors };
  return { ok: true, text: next, config: loaded.config };
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Reads the config file, applies `edit`, validates, and replaces the file atomically. Edits of one
 * file run one at a time. Throws ConfigEditError (nothing written) when the result would be invalid.
 */
export function editConfigFile(path: string, edit: ConfigEdit, options: LoadConfigOptions = {}): Promise<{ config: SwitchboardConfig; text: string }> {
  const run = async () => {
    // A hand edit saved while this one was computed is not overwritten: the edit is redone on it.
    for (let attempt = 1; ; attempt++) {
      const read = await readConfigFile(path);
      if (!read.ok) throw new ConfigEditError(read.errors);
      const result = applyConfigEdit(read.text, edit, options);
      if (!result.ok) throw new ConfigEditError(result.errors);
      if (result.text === read.text) return { config: result.config, text: result.text };
      const again = await readConfigFile(path);
      if (attempt < 3 && again.ok && again.text !== read.text) continue;
      await writeFileAtomic(path, result.text, { encoding: 'utf8' });
      return { config: result.config, text: result.text };
    }
  };
  const next = (queues.get(path) ?? Promise.resolve()).then(run, run);
  const settled = next.catch(() => undefined);
  queues.set(path, settled);
  void settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return next;
}

/** Sets each field of the mapping at `path` (creating it), deleting those given as undefined; other keys and comments stay. */
export function setFields(doc: Document, path: readonly (string | number)[], fields: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) {
      if (doc.hasIn([...path, key])) doc.deleteIn([...path, key]);
    } else {
      doc.setIn([...path, key], value);
    }
  }
}

/** The index of the first item of the sequence at `path` whose `key` equals `value`, or -1. */
export function findInSeq(doc: Document, path: readonly (string | number)[], key: string, value: unknown): number {
  const seq = doc.getIn(path, true);
  if (!isSeq(seq)) return -1;
  return seq.items.findIndex((item) => isMap(item) && item.get(key) === value);
}

/** `$` in text typed in the UI stays literal: `${X}` would otherwise read the environment. */
export function literalText(text: string): string {
  return text.replace(/\$\{/g, () => '$${');
}

/** The `${NAME}` each path of a config text refers to (for the settings page: which variable holds a key). */
export function readReferences(text: string | null): (path: readonly (string | number)[]) => string | undefined {
  const protectedText = protectReferences(text ?? '');
  const doc = parseDocument(protectedText.text, { prettyErrors: false, uniqueKeys: false });
  return (path) => referenceAt(doc, protectedText, path);
}

/** A whole-scalar `${NAME}` reference at `path`. */
function referenceAt(doc: Document, protectedText: ProtectedText, path: readonly (string | number)[]): string | undefined {
  const node = doc.getIn(path, true);
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const ref = protectedText.references.get(node.value.trim());
  return ref !== undefined && ref.literal === undefined && ref.fallback === undefined ? ref.name : undefined;
}

/** Puts each token back as the reference text it replaced. */
function restoreReferences(text: string, protectedText: ProtectedText): string {
  if (protectedText.references.size === 0) return text;
  return text.replace(protectedText.tokenPattern, (token) => {
    const ref = protectedText.references.get(token);
    if (ref === undefined) return token;
    if (ref.literal !== undefined) return `$${ref.literal}`;
    return ref.fallback === undefined ? `\${${ref.name}}` : `\${${ref.name}:-${ref.fallback}}`;
  });
}
