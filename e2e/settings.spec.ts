import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { startOpenAIWire } from '../test/wire/openai-wire';
import type { WireServer } from '../test/wire/scenario';
import { type E2eServer, startE2eServer } from './support/switchboard-server';

/**
 * The settings page against its own `switchboard serve` (its edits must not leak into the other
 * specs' config): a provider added with a key (kept in the 0600 key file, shown masked, used by
 * "Test connection" against an OpenAI wire server), a budget written to switchboard.yaml with the
 * user's comments kept, a refused edit naming its path, and a budget alert shown as a toast.
 */
const KEY = 'sk-e2e-SETTINGS-abcdefghijklmnop7788';
const CONFIG = `# hand-written: this comment must survive the settings page
providers:
  try: { type: mock, response: "hi" }   # the mock
# spend limits
budgets: []
`;

test.describe.configure({ mode: 'serial' });

let server: E2eServer;
let wire: WireServer;

test.beforeAll(async () => {
  wire = await startOpenAIWire();
  server = await startE2eServer({ config: CONFIG });
});
test.afterAll(async () => {
  await server?.stop();
  await wire?.close();
});

const yaml = () => readFile(join(server.dataDir, 'switchboard.yaml'), 'utf8');

async function openSettings(page: Page) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);
  await expect(page.getByTestId('composer')).toBeVisible();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('provider-row').first()).toBeVisible();
}

test('adds a provider with a key, shows it masked, tests it, and sets a budget in the file', async ({ page }) => {
  await openSettings(page);

  // add: an OpenAI-type provider pointed at the wire server, with a key
  await page.getByTestId('provider-add').click();
  const form = page.getByTestId('provider-form');
  await form.getByTestId('provider-name').fill('wireai');
  await form.getByTestId('provider-type').selectOption('openai');
  await form.getByTestId('provider-field-baseURL').fill(wire.baseURL);
  await form.getByTestId('provider-api-key').fill(KEY);
  await form.getByTestId('provider-save').click();
  await expect(form).toHaveCount(0);

  const row = page.locator('[data-testid="provider-row"][data-provider="wireai"]');
  await expect(row.getByTestId('provider-key-hint')).toHaveText('sk-…7788');
  await expect(row).toContainText('in the key store as WIREAI_API_KEY');
  // the key is nowhere in the page, nor in the file; it is in the 0600 key file
  expect(await page.content()).not.toContain(KEY);
  const text = await yaml();
  expect(text).toContain('apiKey: ${WIREAI_API_KEY}');
  expect(text).not.toContain(KEY);
  expect((await stat(join(server.dataDir, 'secrets.json'))).mode & 0o777).toBe(0o600);

  // test connection: a model list from the wire server, sent with the stored key
  await row.getByTestId('provider-test').click();
  await expect(row.getByTestId('provider-test-result')).toHaveAttribute('data-ok', 'true');
  await expect(row.getByTestId('provider-test-result')).toContainText(/Connected in \d+ ms/);
  expect(wire.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);

  // a budget: written into switchboard.yaml, the user's comments kept
  await page.getByTestId('budget-add').click();
  await page.getByTestId('budget-scope-kind').selectOption('provider');
  await page.getByTestId('budget-scope-target').selectOption('wireai');
  await page.getByTestId('budget-monthly').fill('20');
  await page.getByTestId('budget-action').selectOption('warn');
  await page.getByTestId('budget-save').click();
  const budget = page.locator('[data-testid="budget-row"][data-scope="provider:wireai"]');
  await expect(budget.getByTestId('budget-monthly')).toContainText('of $20.00');
  await expect.poll(yaml).toContain('- { scope: provider:wireai, monthly: 20, onExceeded: warn }');
  const after = await yaml();
  expect(after).toContain('# hand-written: this comment must survive the settings page');
  expect(after).toContain('# the mock');
  expect(after).toContain('# spend limits');

  // The README's screenshot, refreshed only on request: a test run must not rewrite tracked files.
  if (process.env.SWITCHBOARD_SCREENSHOTS === '1') {
    await page.getByTestId('page-settings').evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/settings.png' });
  }
});

test('refuses an edit that would make the config invalid, naming the setting', async ({ page }) => {
  await openSettings(page);
  const before = await yaml();
  await page.getByTestId('group-add').click();
  await page.getByTestId('group-name').fill('fast');
  await page.getByTestId('group-deployments').fill('nowhere/some-model');
  await page.getByTestId('group-save').click();
  const error = page.getByTestId('settings-error');
  await expect(error).toContainText('groups.fast.deployments[0].provider: unknown provider "nowhere"');
  await expect(error).toHaveAttribute('data-paths', 'groups.fast.deployments[0].provider');
  expect(await yaml()).toBe(before);
});

test('says which model folders do not exist, and stops saying it once they do', async ({ page }) => {
  await openSettings(page);
  await page.getByTestId('model-folders').fill('models\nnot-made-yet');
  await page.getByTestId('model-folders-save').click();
  const missing = page.getByTestId('model-folders-missing');
  await expect(missing).toContainText('Not found on this machine');
  await expect(missing).toContainText('not-made-yet');
  await expect(missing).not.toContainText('models,');
  expect(await yaml()).toContain('not-made-yet');

  await mkdir(join(server.dataDir, 'not-made-yet'));
  await page.getByTestId('model-folders').fill('not-made-yet');
  await page.getByTestId('model-folders-save').click();
  await expect(missing).toHaveCount(0);
});

test('a budget alert arrives as a toast', async ({ page }) => {
  await openSettings(page);
  // a tiny daily limit for all spend, which the next priced call crosses
  await page.getByTestId('budget-add').click();
  await page.getByTestId('budget-daily').fill('0.000001');
  await page.getByTestId('budget-action').selectOption('warn');
  await page.getByTestId('budget-save').click();
  await expect(page.locator('[data-testid="budget-row"][data-scope="global"]')).toBeVisible();

  await page.getByTestId('nav-chat').click();
  const picker = page.getByTestId('model-picker');
  await expect(picker.locator('option[value="wireai/gpt-4o-mini"]')).toBeEnabled();
  await picker.selectOption('wireai/gpt-4o-mini');
  await page.getByTestId('composer').fill('What does this cost?');
  await page.getByTestId('composer').press('Enter');
  await expect(page.getByTestId('assistant-message').last()).toHaveAttribute('data-status', 'complete');

  const toast = page.getByTestId('toast').filter({ hasText: 'Budget reached: all spend' });
  await expect(toast).toBeVisible();
  await expect(toast).toHaveAttribute('data-kind', 'error');
  await expect(toast).toContainText('today. Requests continue (this budget only warns).');
});
