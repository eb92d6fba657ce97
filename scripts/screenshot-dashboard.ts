// The dashboard screenshot for the README: docs/dashboard.png at 1280×800. `switchboard serve` over
// a throwaway data dir whose database gets 30 days of generated usage (bench/usage-data.ts: ten
// deployments across cloud and local providers, errors, aborts, cache and reasoning tokens).
//
//   npm run build:renderer && npx tsx scripts/screenshot-dashboard.ts
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { generateUsage } from '../bench/usage-data';
import { startE2eServer } from '../e2e/support/switchboard-server';
import { openStore } from '../src/core/store';

const DOCS = resolve(import.meta.dirname, '../docs');
const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main(): Promise<void> {
  const server = await startE2eServer();
  // The host has the database open; a second connection writes the history (WAL lets both in).
  const store = openStore({ path: join(server.dataDir, 'switchboard.db') });
  try {
    generateUsage(store, { calls: 12_000, end: Date.now(), days: 30, perConversation: 8 });
  } finally {
    store.close();
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await page.goto(`${server.url}#dashboard`);
    await page.getByTestId('dash-range-30d').click();
    await page.getByTestId('dash-deployment-row').first().waitFor();
    await page.getByTestId('chart-spend').locator('.recharts-bar-rectangle').first().waitFor();
    await page.screenshot({ path: join(DOCS, 'dashboard.png') });
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshot failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
