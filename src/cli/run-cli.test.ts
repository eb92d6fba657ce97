import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';
import { memoryIo } from './testing/memory-io';

/** In-process runs for what needs no core: parsing, validation, exit codes. */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('runCli', () => {
  it('prints help and exits 0', async () => {
    const io = memoryIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.stdout()).toContain('make-test-model');
  });

  it('prints the version and exits 0', async () => {
    const io = memoryIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdout()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['serve', '--port', 'abc'], '--port: expected a whole number from 0 to 65535'],
    [['serve', '--port', '70000'], '--port: expected at most 65535'],
    [['chat', '--model', 'local/x', '--temperature', '3', 'hi'], '--temperature: expected at most 2'],
    [['chat', '--model', 'local/x', '--max-tokens', '1.5', 'hi'], '--max-tokens: expected a whole number'],
    [['chat', '--model', 'local/x', ''], 'the prompt is empty'],
    [['chat', 'hi'], '--model: required (a model id such as local/<name>), unless --assistant or --conversation gives one'],
    [['usage', '--from', 'yesterday-ish'], '--from: expected a date'],
    [['make-test-model', 'out.bin'], 'must end in .gguf'],
    [['make-test-model', '--preset', 'huge'], '--preset: expected tiny or small'],
  ])('refuses %j with exit 2 and names the flag', async (args, message) => {
    const io = memoryIo();
    expect(await runCli(args, io)).toBe(2);
    expect(io.stderr()).toContain(message);
    expect(io.stdout()).toBe('');
  });

  it.each([[['chat']], [['serve', '--bogus']], [['nope']], [['usage', 'extra']]])(
    'refuses %j at parse time with exit 2',
    async (args) => {
      const io = memoryIo();
      expect(await runCli(args, io)).toBe(2);
      expect(io.stderr()).toMatch(/error: .+\n\(add --help for usage\)/);
    },
  );

  it('make-test-model writes into the data dir by default', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sb-cli-'));
    dirs.push(dataDir);
    const io = memoryIo();
    expect(await runCli(['make-test-model', '--data-dir', dataDir, '--json'], io)).toBe(0);
    const file = JSON.parse(io.stdout()) as { path: string; sizeBytes: number; parameterCount: number };
    expect(file.path).toBe(join(dataDir, 'models', 'test-tiny.gguf'));
    expect((await stat(file.path)).size).toBe(file.sizeBytes);
    expect(file.parameterCount).toBeGreaterThan(0);
  });
});
