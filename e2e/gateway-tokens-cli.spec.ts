import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Page, expect, test } from '@playwright/test';
import { type E2eServer, startE2eServer } from './support/switchboard-server';

/**
 * Tokens made or revoked with the CLI (`switchboard gateway tokens …`, another process writing the
 * same token file) show in Settings → Gateway when the user comes back to the window, without a reload.
 */
const run = promisify(execFile);
const CLI = join(resolve(import.meta.dirname, '..'), 'bin', 'switchboard.mjs');

let server: E2eServer;

test.beforeAll(async () => {
  server = await startE2eServer({ config: 'providers:\n  try: { type: mock, response: "hi" }\n', fixtureModels: false });
});
test.afterAll(async () => {
  await server?.stop();
});

const cli = (...args: string[]) => run(process.execPath, [CLI, 'gateway', 'tokens', ...args, '--data-dir', server.dataDir]);
/** What the browser sends when the user switches back to the window. */
const comeBack = (page: Page) => page.evaluate('window.dispatchEvent(new Event("focus"))');

test('a token the CLI makes or revokes shows in the settings when the window regains focus', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByTestId('composer')).toBeVisible();
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('settings-gateway');
  await expect(section).toBeVisible();
  const row = section.locator('[data-testid="gateway-token-row"][data-token="from-cli"]');
  await expect(row).toHaveCount(0);

  const made = await cli('create', 'from-cli');
  expect(made.stdout).toMatch(/^sbk-/);
  await comeBack(page);
  await expect(row).toBeVisible();

  await cli('revoke', 'from-cli');
  await comeBack(page);
  await expect(row).toHaveCount(0);
});
