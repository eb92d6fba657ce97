import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';
import { memoryIo } from './testing/memory-io';

/** `switchboard models delete` of a model that isn't there, in-process: what to run to see the ids. */
const dir = mkdtempSync(join(tmpdir(), 'sb-cli-models-delete-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('switchboard models delete', () => {
  it('refuses an unknown id and points at `models list`', async () => {
    const io = memoryIo();
    const code = await runCli(['models', 'delete', 'local/nope', '--data-dir', dir], io);
    expect(code).toBe(1);
    expect(io.stderr()).toBe('switchboard: There is no local model local/nope. See the models with: switchboard models list\n');
  }, 30_000);
});
