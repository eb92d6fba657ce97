#!/usr/bin/env node
// Adds up the vitest and Playwright JSON reports into the one line CI counts: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** @param {unknown} report vitest's JSON reporter output */
export function countVitest(report) {
  const r = /** @type {{ numPassedTests?: number, numFailedTests?: number, numPendingTests?: number, numTodoTests?: number }} */ (report ?? {});
  return { passed: r.numPassedTests ?? 0, failed: r.numFailedTests ?? 0, skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0) };
}

/** @param {unknown} report Playwright's JSON reporter output */
export function countPlaywright(report) {
  const s = /** @type {{ stats?: { expected?: number, unexpected?: number, flaky?: number, skipped?: number } }} */ (report ?? {}).stats ?? {};
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0, skipped: s.skipped ?? 0 };
}

/**
 * @param {{ passed: number, failed: number, skipped: number }[]} counts
 * @param {number} exitCode the test command's exit code: a failure no report counted (typecheck, lint, build) counts as one
 */
export function summarize(counts, exitCode) {
  const total = counts.reduce((a, c) => ({ passed: a.passed + c.passed, failed: a.failed + c.failed, skipped: a.skipped + c.skipped }), { passed: 0, failed: 0, skipped: 0 });
  if (exitCode !== 0 && total.failed === 0) total.failed = 1;
  return `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`;
}

function readJson(path) {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [vitestPath = 'reports/vitest.json', playwrightPath = 'reports/playwright.json', code = '0'] = process.argv.slice(2);
  const vitest = readJson(vitestPath);
  const playwright = readJson(playwrightPath);
  if (vitest === undefined) console.log(`note: no vitest report at ${vitestPath}`);
  if (playwright === undefined) console.log(`note: no Playwright report at ${playwrightPath}`);
  console.log(summarize([countVitest(vitest), countPlaywright(playwright)], Number(code)));
}
