import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GGUFValueType, serializeGgufMetadata } from '@huggingface/gguf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestModel } from '../test-model';
import { assignModelIds } from './assign-model-ids';
import { createModelLibrary } from './model-library';

let dir: string;
let tinyPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-library-'));
  tinyPath = join(dir, 'source', 'tiny.gguf');
  await writeTestModel(tinyPath, { preset: 'tiny' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh models folder per test. */
function modelsFolder(name: string): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** A GGUF header with the given llama keys and no tensors. */
function headerOnly(keys: Record<string, number>): Uint8Array {
  const u32 = (value: number) => ({ value, type: GGUFValueType.UINT32 as const });
  const entries = Object.entries(keys);
  return serializeGgufMetadata({
    version: { value: 3, type: GGUFValueType.UINT32 },
    tensor_count: { value: 0n, type: GGUFValueType.UINT64 },
    kv_count: { value: BigInt(entries.length + 2), type: GGUFValueType.UINT64 },
    'general.architecture': { value: 'llama', type: GGUFValueType.STRING },
    'tokenizer.ggml.tokens': { value: ['<unk>', 'a'], type: GGUFValueType.ARRAY, subType: GGUFValueType.STRING },
    ...Object.fromEntries(entries.map(([k, v]) => [k, u32(v)])),
  });
}

describe('model library', () => {
  it('reads a valid model into an entry', async () => {
    const folder = modelsFolder('valid');
    copyFileSync(tinyPath, join(folder, 'tiny.gguf'));
    const [entry, ...rest] = await createModelLibrary({ folders: [folder] }).list();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      id: 'local/tiny',
      name: 'tiny',
      path: join(folder, 'tiny.gguf'),
      sizeBytes: statSync(tinyPath).size,
      architecture: 'llama',
      hasChatTemplate: true,
      error: null,
    });
    expect(entry?.parameterCount).toBeGreaterThan(0);
    expect(entry?.contextLength).toBeGreaterThan(0);
    expect(entry?.quantization).toMatch(/^F(16|32)$/);
  });

  it('scans subfolders, skips hidden and non-gguf files, and treats a missing folder as empty', async () => {
    const folder = modelsFolder('nested');
    mkdirSync(join(folder, 'org', 'repo'), { recursive: true });
    copyFileSync(tinyPath, join(folder, 'org', 'repo', 'deep.GGUF'));
    copyFileSync(tinyPath, join(folder, '.partial.gguf'));
    writeFileSync(join(folder, 'notes.txt'), 'not a model');
    const library = createModelLibrary({ folders: [folder, join(dir, 'does-not-exist')] });
    expect((await library.list()).map((e) => e.id)).toEqual(['local/deep']);
  });

  it('gives duplicate names distinct, stable ids', async () => {
    const a = modelsFolder('dup-a');
    const b = modelsFolder('dup-b');
    copyFileSync(tinyPath, join(a, 'tiny.gguf'));
    mkdirSync(join(b, 'x'), { recursive: true });
    copyFileSync(tinyPath, join(b, 'tiny.gguf'));
    copyFileSync(tinyPath, join(b, 'x', 'tiny.gguf'));
    const library = createModelLibrary({ folders: [a, b] });
    const entries = await library.list();
    expect(entries.map((e) => [e.id, e.path])).toEqual([
      ['local/tiny', join(a, 'tiny.gguf')],
      ['local/tiny-2', join(b, 'tiny.gguf')],
      ['local/tiny-3', join(b, 'x', 'tiny.gguf')],
    ]);
    expect((await library.list()).map((e) => e.id)).toEqual(entries.map((e) => e.id));
  });

  it('never hands a real file name to a duplicate', () => {
    expect(assignModelIds(['/a/m.gguf', '/b/m.gguf', '/c/m-2.gguf'])).toEqual(['local/m', 'local/m-3', 'local/m-2']);
  });

  it('flags broken files with a message that says what to do', async () => {
    const folder = modelsFolder('broken');
    const bytes = readFileSync(tinyPath);
    writeFileSync(join(folder, 'cut-weights.gguf'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    writeFileSync(join(folder, 'cut-header.gguf'), bytes.subarray(0, 200));
    writeFileSync(join(folder, 'junk.gguf'), 'this is not a model at all');
    writeFileSync(join(folder, 'empty.gguf'), '');
    writeFileSync(
      join(folder, 'no-heads.gguf'),
      headerOnly({ 'llama.context_length': 256, 'llama.embedding_length': 64, 'llama.block_count': 2 }),
    );

    const byName = Object.fromEntries((await createModelLibrary({ folders: [folder] }).list()).map((e) => [e.name, e]));
    expect(byName['cut-weights']?.error).toMatch(/cut-weights\.gguf is truncated: its weights need \d+ bytes, but the file has \d+ \(\d+%\)\. The download was probably interrupted/);
    expect(byName['cut-header']?.error).toMatch(/truncated/);
    expect(byName['junk']?.error).toMatch(/is not a GGUF model file/);
    expect(byName['empty']?.error).toMatch(/is not a GGUF model file/);
    expect(byName['no-heads']?.error).toMatch(
      /lacks metadata llama\.cpp requires \(llama\.feed_forward_length, llama\.attention\.head_count\)/,
    );
    for (const entry of Object.values(byName)) expect(entry.error).toMatch(/download the model again/);
  });

  it('re-reads a file only when its size or mtime changes', async () => {
    const folder = modelsFolder('cache');
    const path = join(folder, 'm.gguf');
    copyFileSync(tinyPath, path);
    // A whole-second mtime, so setting it again below reproduces it exactly.
    const mtime = new Date(1_700_000_000_000);
    utimesSync(path, mtime, mtime);
    const library = createModelLibrary({ folders: [folder] });
    expect((await library.list())[0]?.error).toBeNull();

    // Same size and mtime, different bytes: the cached reading stands.
    const bytes = readFileSync(path);
    bytes.fill(0, 0, 4);
    writeFileSync(path, bytes);
    utimesSync(path, mtime, mtime);
    expect((await library.list())[0]?.error).toBeNull();

    // A new mtime: read again, and now it is broken.
    utimesSync(path, mtime, new Date(mtime.getTime() + 5000));
    expect((await library.list())[0]?.error).toMatch(/not a GGUF model file/);
  });

  it('resolves local/name and bare name', async () => {
    const folder = modelsFolder('resolve');
    copyFileSync(tinyPath, join(folder, 'tiny.gguf'));
    const library = createModelLibrary({ folders: [folder] });
    expect((await library.resolve('local/tiny'))?.path).toBe(join(folder, 'tiny.gguf'));
    expect((await library.resolve('tiny'))?.id).toBe('local/tiny');
    expect(await library.resolve('local/nope')).toBeUndefined();
  });
});

describe('resolve after a listing', () => {
  it('answers from the last listing while the file is unchanged, and notices a file replaced or removed', async () => {
    const folder = modelsFolder('resolve-after-list');
    const path = join(folder, 'swap.gguf');
    copyFileSync(tinyPath, path);
    const library = createModelLibrary({ folders: [folder] });
    const [listed] = await library.list();
    expect(await library.resolve('swap')).toEqual(listed);

    // Replaced by a cut-off copy: its size changes, so resolve reads it again and sees the damage.
    writeFileSync(path, readFileSync(tinyPath).subarray(0, 4096));
    const damaged = await library.resolve('swap');
    expect(damaged?.sizeBytes).toBe(4096);
    expect(damaged?.error).not.toBeNull();

    rmSync(path);
    expect(await library.resolve('swap')).toBeUndefined();
  });
});

describe('missing folders', () => {
  it('warns once per listed folder that does not exist (or is not a folder), naming the setting and the path', async () => {
    const home = modelsFolder('missing-home');
    copyFileSync(tinyPath, join(home, 'tiny.gguf'));
    const gone = join(dir, 'never-created');
    const notAFolder = join(dir, 'missing-file-not-folder');
    writeFileSync(notAFolder, 'text');
    const unlisted = join(dir, 'unlisted-missing');
    const warnings: string[] = [];
    const library = createModelLibrary({
      folders: [home, unlisted, gone, notAFolder],
      listed: { setting: 'models.folders', source: '/data/switchboard.yaml', folders: [gone, notAFolder] },
      warn: (message) => warnings.push(message),
    });
    expect((await library.list()).map((e) => e.id)).toEqual(['local/tiny']);
    await library.list();
    expect(await library.checkFolders()).toEqual({ existing: [home], missing: [unlisted, gone, notAFolder] });
    expect(warnings).toEqual([
      `models.folders in /data/switchboard.yaml lists ${gone}, which does not exist: create that folder and put .gguf files in it, or remove it from models.folders.`,
      `models.folders in /data/switchboard.yaml lists ${notAFolder}, which is not a folder: create that folder and put .gguf files in it, or remove it from models.folders.`,
    ]);
  });

  it('tells where to put models: only folders that exist, else the one to create', async () => {
    const home = modelsFolder('hint-home');
    const gone = join(dir, 'hint-gone');
    expect(await createModelLibrary({ folders: [home, gone] }).placementHint()).toBe(`put .gguf files in ${home}`);
    expect(await createModelLibrary({ folders: [gone, join(dir, 'hint-gone-too')] }).placementHint()).toBe(`put .gguf files in ${gone} (create that folder first)`);
  });
});
