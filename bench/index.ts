/**
 * `npm run bench [-- name…] [--json]`: runs every row in bench/rows (or the named ones) and
 * prints a table of ours vs reference. Adding a row is adding one file to bench/rows.
 * Exits non-zero when a row fails its target or throws.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderTable, type RowOutcome } from './table';
import type { BenchRow } from './types';

const rowsDir = fileURLToPath(new URL('./rows/', import.meta.url));

async function loadRows(): Promise<BenchRow[]> {
  const files = (await readdir(rowsDir)).filter((f) => /\.(ts|js|mjs)$/.test(f) && !/\.(test|d)\./.test(f)).sort();
  const rows: BenchRow[] = [];
  for (const file of files) {
    const mod: unknown = await import(pathToFileURL(join(rowsDir, file)).href);
    const row = (mod as { default?: unknown }).default;
    if (!isRow(row)) throw new Error(`bench/rows/${file} must default-export a row (defineRow({ name, description, run }))`);
    rows.push(row);
  }
  return rows;
}

function isRow(value: unknown): value is BenchRow {
  return typeof value === 'object' && value !== null && 'name' in value && 'run' in value && typeof value.run === 'function';
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const all = await loadRows();
  if (args.includes('--help') || args.includes('-h')) {
    const width = Math.max(...all.map((r) => r.name.length));
    process.stdout.write(`usage: npm run bench [-- ROW…] [--json]\n\nrows:\n${all.map((r) => `  ${r.name.padEnd(width)}  ${r.description}`).join('\n')}\n`);
    return 0;
  }
  const badFlags = args.filter((a) => a.startsWith('-') && a !== '--json');
  if (badFlags.length > 0) {
    process.stderr.write(`unknown flag(s): ${badFlags.join(', ')}; usage: npm run bench [-- ROW…] [--json] (--help lists the rows)\n`);
    return 2;
  }
  const json = args.includes('--json');
  const wanted = args.filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !all.some((r) => r.name === w));
  if (unknown.length > 0) {
    process.stderr.write(`unknown row(s): ${unknown.join(', ')}; rows: ${all.map((r) => r.name).join(', ')}\n`);
    return 2;
  }
  const rows = wanted.length > 0 ? all.filter((r) => wanted.includes(r.name)) : all;
  const outcomes: RowOutcome[] = [];
  for (const row of rows) {
    const tmpDir = await mkdtemp(join(tmpdir(), `bench-${row.name}-`));
    process.stderr.write(`▶ ${row.name}: ${row.description}\n`);
    try {
      const result = await row.run({ tmpDir, log: (line) => process.stderr.write(`  ${line}\n`) });
      outcomes.push({ name: row.name, result });
    } catch (error) {
      outcomes.push({ name: row.name, error: error instanceof Error ? error.message : String(error) });
    } finally {
      await rm(tmpDir, { recursive: true, force: true });
    }
  }
  process.stdout.write(json ? `${JSON.stringify(outcomes, null, 2)}\n` : `\n${renderTable(outcomes)}\n`);
  return outcomes.every((o) => 'result' in o && o.result.pass) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
