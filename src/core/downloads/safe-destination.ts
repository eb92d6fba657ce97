import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** A hub path that would not stay inside the models folder, or is not a GGUF file. */
export class UnsafePathError extends Error {
  override readonly name = 'UnsafePathError';
}

const MAX_SEGMENT = 255;

/**
 * Where a hub file lands: `<modelsDir>/<owner>/<repo>/<path in repo>`. Every segment is checked
 * on its own (no `..`, `.`, empty, hidden, backslash, drive letter or control character), and the
 * result must still lie inside `modelsDir`: a file named `../x.gguf` or `/etc/x.gguf` cannot
 * escape. Only `.gguf` files are downloaded.
 */
export function hubDestination(modelsDir: string, repo: string, file: string): string {
  const segments = [...repo.split('/'), ...file.split('/')];
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem !== undefined) throw new UnsafePathError(`"${repo}/${file}" cannot be saved: ${problem}.`);
  }
  if (!file.toLowerCase().endsWith('.gguf')) throw new UnsafePathError(`"${file}" is not a .gguf file; only GGUF models can be downloaded.`);
  const root = resolve(modelsDir);
  const destination = resolve(root, ...segments);
  const inside = relative(root, destination);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new UnsafePathError(`"${repo}/${file}" would be saved outside the models folder.`);
  }
  return destination;
}

/** The partial file beside the destination; hidden (leading dot) so the library never lists it. */
export function partPathOf(destination: string): string {
  return join(dirname(destination), `.${basename(destination)}.part`);
}

function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'it has an empty path segment (an absolute path or "//")';
  if (segment === '.' || segment === '..') return `it has a "${segment}" path segment`;
  if (segment.startsWith('.')) return `"${segment}" is a hidden name`;
  if (segment.length > MAX_SEGMENT) return `"${segment.slice(0, 20)}…" is longer than ${MAX_SEGMENT} characters`;
  if (segment.includes('\\')) return 'it contains a backslash';
  if (/^[A-Za-z]:/.test(segment) || segment.includes(':')) return 'it contains a colon (a drive letter or stream name)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(segment)) return 'it contains a control character';
  return undefined;
}
