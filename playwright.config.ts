import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Browsers can't be downloaded on the build machines; use the system Chromium when there is one.
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * End-to-end: Chromium against a real `switchboard serve` with a tiny generated model.
 * The renderer must be built first (`npm run build:renderer`, which `npm test` does);
 * e2e/support/global-setup.ts starts the server and shares its URL with the specs.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'reports/playwright.json' }]] : [['list']],
  globalSetup: './e2e/support/global-setup.ts',
  use: {
    browserName: 'chromium',
    launchOptions: {
      ...(existsSync(chromiumPath) ? { executablePath: chromiumPath } : {}),
      args: chromiumArgs,
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // the browser specs; the Electron spec has its own project because it launches the app, not a page
    { name: 'chromium', testIgnore: ['electron.spec.ts'] },
    // skips itself where the Electron binary is absent (the build machines)
    { name: 'electron', testMatch: ['electron.spec.ts'] },
  ],
});
