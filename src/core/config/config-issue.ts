/** One problem with the config file, at a path such as `providers.openai.baseURL`. */
export interface ConfigIssue {
  /** Dotted path into the file (`groups.fast.deployments[1].provider`); empty for the whole file. */
  path: string;
  message: string;
}

/** `['groups', 'fast', 'deployments', 1]` → `groups.fast.deployments[1]`; odd keys are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z0-9_-]+$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/** `providers.openai.baseURL: expected a URL`, one line per issue. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('\n');
}
