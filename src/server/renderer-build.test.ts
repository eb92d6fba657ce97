import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuild } from './renderer-build';

/** A real vite build of a one-page app, standing in for a fresh clone's missing out/renderer. */
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-render-'));
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'index.html'), '<!doctype html><title>built</title><script type="module" src="./main.js"></script>');
  await writeFile(join(dir, 'src', 'main.js'), 'document.title = "ran";');
  await writeFile(
    join(dir, 'vite.config.mjs'),
    `export default { root: ${JSON.stringify(join(dir, 'src'))}, base: './', build: { outDir: ${JSON.stringify(join(dir, 'out'))}, emptyOutDir: true } };`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ensureRendererBuild', () => {
  it('builds once when index.html is missing, then leaves it alone', async () => {
    const notes: string[] = [];
    const options = { rendererDir: join(dir, 'out'), configFile: join(dir, 'vite.config.mjs'), log: (l: string) => notes.push(l) };
    expect(await ensureRendererBuild(options)).toBe(join(dir, 'out'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('building it once');
    expect(await readFile(join(dir, 'out', 'index.html'), 'utf8')).toContain('<title>built</title>');

    await ensureRendererBuild(options);
    expect(notes).toHaveLength(1);
  });
});
