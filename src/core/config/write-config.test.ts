import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { formatIssues } from './config-issue';
import { ConfigEditError, applyConfigEdit, editConfigFile, findInSeq, literalText, setFields } from './write-config';

// A write that dies half-way: the temp file is written in part, then the disk is full.
const failing = vi.hoisted(() => ({ next: false }));
vi.mock('write-file-atomic', async (importOriginal) => {
  const real = (await importOriginal<{ default: (path: string, data: string, options?: object) => Promise<void> }>()).default;
  const { writeFile } = await import('node:fs/promises');
  return {
    default: async (path: string, data: string, options?: object) => {
      if (!failing.next) return real(path, data, options);
      failing.next = false;
      await writeFile(`${path}.partial-tmp`, data.slice(0, 10));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'sb-write-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENV = { OPENAI_API_KEY: 'sk-test-0000000000001234' };
const USER_FILE = `# my switchboard config (hand-written)
providers:
  openai: { type: openai, apiKey: \${OPENAI_API_KEY} }   # the work account
  try: { type: mock, response: "cost is $\${X} today" }
groups:
  fast:
    strategy: ordered   # cheapest first
    deployments:
      - { provider: openai, model: gpt-4o-mini }
    fallbacks: []
# spend limits
budgets:
  - { scope: global, daily: 5 }   # keep me honest
`;

let n = 0;
const fileWith = (text: string) => {
  const path = join(dir, `switchboard-${n++}.yaml`);
  writeFileSync(path, text);
  return path;
};

describe('applyConfigEdit', () => {
  it('keeps comments, references and untouched lines', () => {
    const result = applyConfigEdit(USER_FILE, (doc) => setFields(doc, ['budgets', 0], { monthly: 40, onExceeded: 'warn' }), { env: ENV });
    if (!result.ok) throw new Error(formatIssues(result.errors));
    expect(result.text).toContain('# my switchboard config (hand-written)');
    expect(result.text).toContain('# the work account');
    expect(result.text).toContain('# cheapest first');
    expect(result.text).toContain('# spend limits');
    expect(result.text).toContain('# keep me honest');
    // the reference is written back as a reference, never as the key it resolves to
    expect(result.text).toContain('apiKey: ${OPENAI_API_KEY}');
    expect(result.text).not.toContain(ENV.OPENAI_API_KEY);
    // the escaped literal stays escaped
    expect(result.text).toContain('$${X}');
    expect(result.text).toContain('- { scope: global, daily: 5, monthly: 40, onExceeded: warn }');
    expect(result.config.budgets).toEqual([{ scope: 'global', daily: 5, monthly: 40, onExceeded: 'warn' }]);
    expect(result.config.providers.try).toMatchObject({ response: 'cost is ${X} today' });
  });

  it('creates the file’s first content from nothing', () => {
    const result = applyConfigEdit(null, (doc) => doc.setIn(['budgets'], doc.createNode([{ scope: 'global', monthly: 10 }])));
    if (!result.ok) throw new Error(formatIssues(result.errors));
    expect(result.config.budgets).toEqual([{ scope: 'global', monthly: 10 }]);
  });

  it('refuses an edit that makes the config invalid, naming the path', () => {
    const bad = applyConfigEdit(USER_FILE, (doc) => setFields(doc, ['budgets', 0], { daily: 'lots' }), { env: ENV });
    expect(bad).toEqual({ ok: false, errors: [{ path: 'budgets[0].daily', message: 'expected a number' }] });
    const dangling = applyConfigEdit(USER_FILE, (doc) => doc.deleteIn(['providers', 'openai']), { env: ENV });
    expect(dangling.ok ? '' : formatIssues(dangling.errors)).toMatch(/^groups\.fast\.deployments\[0\]\.provider: unknown provider "openai"/);
  });

  it('refuses a reference to a variable that is not set', () => {
    const result = applyConfigEdit(USER_FILE, (doc) => setFields(doc, ['providers', 'try'], { type: undefined }), { env: {} });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : formatIssues(result.errors)).toContain('providers.openai.apiKey: environment variable OPENAI_API_KEY is not set');
  });

  it('refuses to edit a file with a YAML error', () => {
    const result = applyConfigEdit('providers: [\n', () => undefined);
    expect(result.ok ? '' : formatIssues(result.errors)).toMatch(/YAML error .*fix it by hand/);
  });

  it('finds sequence items by key and keeps typed text literal', () => {
    const result = applyConfigEdit(USER_FILE, (doc, tools) => {
      expect(findInSeq(doc, ['budgets'], 'scope', 'global')).toBe(0);
      expect(findInSeq(doc, ['budgets'], 'scope', 'provider:openai')).toBe(-1);
      expect(tools.referenceAt(['providers', 'openai', 'apiKey'])).toBe('OPENAI_API_KEY');
      expect(tools.referenceAt(['providers', 'try', 'response'])).toBeUndefined();
      setFields(doc, ['providers', 'try'], { response: literalText('${HOME} is not read') });
    }, { env: ENV });
    if (!result.ok) throw new Error(formatIssues(result.errors));
    expect(result.config.providers.try).toMatchObject({ response: '${HOME} is not read' });
  });
});

describe('editConfigFile', () => {
  it('writes the edit and nothing else', async () => {
    const path = fileWith(USER_FILE);
    const { config } = await editConfigFile(path, (doc) => setFields(doc, ['groups', 'fast'], { strategy: 'lowest-cost' }), { env: ENV });
    expect(config.groups.fast?.strategy).toBe('lowest-cost');
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('strategy: lowest-cost # cheapest first');
    expect(text.split('\n').filter((line) => line.includes('#'))).toHaveLength(USER_FILE.split('\n').filter((line) => line.includes('#')).length);
  });

  it('leaves the file as it was when the edit is invalid', async () => {
    const path = fileWith(USER_FILE);
    const error = await editConfigFile(path, (doc) => setFields(doc, ['engine'], { threads: 0 }), { env: ENV }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigEditError);
    expect((error as ConfigEditError).message).toBe('the change was not saved: engine.threads: expected at least 1');
    expect(readFileSync(path, 'utf8')).toBe(USER_FILE);
  });

  it('leaves the old file whole when the write dies half-way', async () => {
    const path = fileWith(USER_FILE);
    failing.next = true;
    const error = await editConfigFile(path, (doc) => setFields(doc, ['budgets', 0], { daily: 9 }), { env: ENV }).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(readFileSync(path, 'utf8')).toBe(USER_FILE);
    // and the next edit goes through
    await editConfigFile(path, (doc) => setFields(doc, ['budgets', 0], { daily: 9 }), { env: ENV });
    expect(readFileSync(path, 'utf8')).toContain('daily: 9');
  });

  it('redoes the edit on a hand edit saved meanwhile, rather than overwrite it', async () => {
    const path = fileWith(USER_FILE);
    let calls = 0;
    await editConfigFile(
      path,
      (doc) => {
        // the user saves in their editor while this edit is being computed
        if (calls++ === 0) writeFileSync(path, `${USER_FILE}# added by hand\n`);
        setFields(doc, ['budgets', 0], { monthly: 30 });
      },
      { env: ENV },
    );
    expect(calls).toBe(2);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('# added by hand');
    expect(text).toContain('monthly: 30');
  });

  it('runs concurrent edits one after the other, losing none', async () => {
    const path = fileWith(USER_FILE);
    await Promise.all([
      editConfigFile(path, (doc) => setFields(doc, ['budgets', 0], { monthly: 1 }), { env: ENV }),
      editConfigFile(path, (doc) => setFields(doc, ['engine'], { threads: 2 }), { env: ENV }),
      editConfigFile(path, (doc) => setFields(doc, ['groups', 'fast'], { strategy: 'weighted' }), { env: ENV }),
    ]);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('monthly: 1');
    expect(text).toContain('threads: 2');
    expect(text).toContain('strategy: weighted');
  });
});
