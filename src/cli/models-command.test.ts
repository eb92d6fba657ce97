import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './run-cli';
import { memoryIo } from './testing/memory-io';

/** `switchboard models list` and a local chat when switchboard.yaml lists a models folder that is not there. */

let dir: string;
let gone: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-cli-models-'));
  gone = join(dir, 'not-created-yet');
  writeFileSync(join(dir, 'switchboard.yaml'), `models:\n  folders:\n    - ${gone}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs in-process; the core's log goes to the real stderr, so that is captured too. */
async function run(...args: string[]) {
  const io = memoryIo();
  let log = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    log += String(chunk);
    return true;
  });
  const code = await runCli([...args, '--data-dir', dir], io);
  vi.restoreAllMocks();
  return { code, stdout: io.stdout(), stderr: io.stderr() + log };
}

describe('a models folder listed in the config that does not exist', () => {
  it('models list warns once, naming the setting and the path, and the hint names only the folder that exists', async () => {
    const listed = await run('models', 'list');
    expect(listed.code).toBe(0);
    const warnings = listed.stderr.split('\n').filter((line) => line.includes(gone));
    expect(warnings).toEqual([
      `switchboard: warn: models.folders in ${join(dir, 'switchboard.yaml')} lists ${gone}, which does not exist: create that folder and put .gguf files in it, or remove it from models.folders.`,
    ]);
    expect(listed.stdout).toContain(`No local models in ${join(dir, 'models')}.`);
    expect(listed.stdout).not.toContain(gone);
  });

  it('a chat with no local model says where to put one, without the missing folder', async () => {
    const chat = await run('chat', '--model', 'local/ghost', 'hi');
    expect(chat.code).toBe(1);
    const [hint] = chat.stderr.split('\n').filter((line) => line.includes('unknown model'));
    expect(hint).toMatch(`no local models found; put .gguf files in ${join(dir, 'models')}`);
    expect(hint).not.toContain(gone);
  });
});
