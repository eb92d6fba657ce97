import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractFailure } from '../api/contract-failure';
import { type SwitchboardConfig, formatIssues, parseConfigText } from '../config';
import { type Store, openStore } from '../store';
import { createAssistantsService } from './assistants-service';

/**
 * Writing assistants back to a hand-written switchboard.yaml: comments around and inside the list
 * stay, an edit touches only the fields it changes, `${` typed in a prompt stays literal, and a
 * rename moves the conversations (a real SQLite store) that used the old name.
 */
const HAND_WRITTEN = `# my config
providers:
  try: { type: mock }
groups:
  fast:
    deployments: [{ provider: try, model: mock-1 }]
assistants:
  # the one I use most
  - name: Writer
    model: fast        # cheap is fine
    system: |
      Write plainly.
    temperature: 0.7   # a bit of variety
    topP: 0.9
  - { name: Terse, model: try/mock-1, maxOutputTokens: 50 }
`;

let dir: string;
let path: string;
let store: Store;
const read = () => readFileSync(path, 'utf8');
const config = (): SwitchboardConfig => {
  const loaded = parseConfigText(read());
  if (!loaded.ok) throw new Error(formatIssues(loaded.errors));
  return loaded.config;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-assistants-write-'));
  path = join(dir, 'switchboard.yaml');
  writeFileSync(path, HAND_WRITTEN);
  store = openStore({ path: join(dir, 'switchboard.db') });
});
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const service = () =>
  createAssistantsService({
    configPath: path,
    config,
    reloadConfig: async () => undefined,
    env: () => ({}),
    store,
    // every model but "nowhere" is usable here; the core's check is tested through the app
    checkModel: async (ref) => (ref === 'nowhere' ? `unknown model "${ref}"` : null),
  });

describe('assistants written back to switchboard.yaml', () => {
  it('an edit changes only its fields and keeps every comment', async () => {
    const view = await service().save({ previousName: 'Writer', assistant: { name: 'Writer', model: 'fast', system: 'Write plainly.\n', temperature: 0.3 } });
    expect(view.assistants[0]).toEqual({ name: 'Writer', model: 'fast', system: 'Write plainly.\n', temperature: 0.3, problem: null });
    // (the yaml library normalizes spacing inside a flow collection and before a comment it keeps)
    expect(read()).toBe(
      HAND_WRITTEN.replace('temperature: 0.7   # a bit of variety\n    topP: 0.9\n', 'temperature: 0.3 # a bit of variety\n')
        .replace('model: fast        # cheap is fine', 'model: fast # cheap is fine')
        .replace('[{ provider: try, model: mock-1 }]', '[ { provider: try, model: mock-1 } ]'),
    );
  });

  it('adds one at the end, with `${` typed in the prompt kept literal', async () => {
    await service().save({ assistant: { name: 'Shell', model: 'fast', system: 'Explain ${HOME} and $PATH.\nOne line each.', stop: ['END'] } });
    expect(read()).toContain('  - name: Shell\n    model: fast\n    system: |-\n      Explain $${HOME} and $PATH.\n      One line each.\n    stop: [ END ]\n');
    expect(config().assistants.at(-1)?.system).toBe('Explain ${HOME} and $PATH.\nOne line each.');
  });

  it('a rename moves the conversations that used the old name, and only those', async () => {
    store.conversations.create({ id: 'c1', title: 'a', model: 'fast', assistant: 'Terse', createdAt: 1 });
    store.conversations.create({ id: 'c2', title: 'b', model: 'fast', assistant: 'Writer', createdAt: 1 });
    await service().save({ previousName: 'Terse', assistant: { name: 'Brief', model: 'try/mock-1', maxOutputTokens: 50 } });
    expect(read()).toContain('- { name: Brief, model: try/mock-1, maxOutputTokens: 50 }');
    expect(store.conversations.get('c1')?.assistant).toBe('Brief');
    expect(store.conversations.get('c2')?.assistant).toBe('Writer');
  });

  it('refuses with the field named and leaves the file as it was', async () => {
    const before = read();
    const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
    const unknown = await refusal(service().save({ assistant: { name: 'X', model: 'nowhere' } }));
    expect(unknown).toBeInstanceOf(ContractFailure);
    expect(unknown).toMatchObject({ code: 'VALIDATION_FAILED', message: 'the change was not saved: assistants[3].model: unknown model "nowhere"' });
    const hot = await refusal(service().save({ previousName: 'Brief', assistant: { name: 'Brief', model: 'fast', temperature: 2.5 } }));
    expect(hot).toMatchObject({ code: 'VALIDATION_FAILED', message: 'the change was not saved: assistants[1].temperature: 2.5 is out of range: expected 0 to 2' });
    const missing = await refusal(service().save({ previousName: 'Nobody', assistant: { name: 'Nobody', model: 'fast' } }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'no assistant named "Nobody"; assistants: Writer, Brief, Shell' });
    const gone = await refusal(service().remove('Nobody'));
    expect(gone).toMatchObject({ code: 'VALIDATION_FAILED', message: 'the change was not saved: assistants: no assistant named "Nobody" in the file' });
    expect(read()).toBe(before);
  });

  it('a delete removes only that item', async () => {
    await service().remove('Brief');
    expect(config().assistants.map((a) => a.name)).toEqual(['Writer', 'Shell']);
    expect(read()).toContain('# the one I use most');
    expect(read()).toContain('# cheap is fine');
  });
});
