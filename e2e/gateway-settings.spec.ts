import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import OpenAI from 'openai';
import { holdPort } from '../test/net/hold-port';
import { type E2eServer, startE2eServer } from './support/switchboard-server';

/**
 * The gateway section of the settings page against its own `switchboard serve`: the switch is
 * written to switchboard.yaml and starts the gateway in the running host (first on a port another
 * program holds, which the page reports); a token made on the page (its secret shown once) serves
 * the `openai` client on this side; a bad or taken name is refused beside the field; once revoked,
 * the same client gets a 401; switched off, nothing listens.
 */
const CONFIG = (port: number) => `# hand-written: keep this comment
providers:
  try: { type: mock, response: "hi through the gateway" }
groups:
  fast:
    deployments: [{ provider: try, model: mock-1 }]
gateway:
  port: ${port}
`;

test.describe.configure({ mode: 'serial' });

let server: E2eServer;
let holder: Awaited<ReturnType<typeof holdPort>>;
let port: number;

test.beforeAll(async () => {
  // a port another program holds, until the spec lets it go
  holder = await holdPort();
  port = holder.port;
  server = await startE2eServer({ config: CONFIG(port), fixtureModels: false });
});
test.afterAll(async () => {
  await holder?.release();
  await server?.stop();
});

const yaml = () => readFile(join(server.dataDir, 'switchboard.yaml'), 'utf8');
const ask = (baseURL: string, apiKey: string) =>
  new OpenAI({ baseURL, apiKey, maxRetries: 0 }).chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hello' }] });

async function openGatewaySettings(page: Page) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);
  await expect(page.getByTestId('composer')).toBeVisible();
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('settings-gateway');
  await expect(section.getByTestId('gateway-state')).toBeVisible();
  return section;
}

test('switches the gateway on, makes a token, serves the openai client with it, revokes it, and switches off', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const section = await openGatewaySettings(page);
  const state = section.getByTestId('gateway-state');
  const toggle = section.getByTestId('gateway-enabled');
  const baseURL = `http://127.0.0.1:${port}/v1`;

  // off by default; where it would listen, and an example to copy
  await expect(state).toHaveAttribute('data-state', 'off');
  await expect(toggle).not.toBeChecked();
  await expect(section.getByTestId('gateway-address')).toHaveText(`127.0.0.1:${port}`);
  await expect(section.getByTestId('gateway-base-url')).toHaveText(baseURL);
  await expect(section.getByTestId('gateway-curl')).toContainText(`curl ${baseURL}/chat/completions`);
  await expect(section.getByText('No tokens yet')).toBeVisible();

  // on, while another program holds the port: written to the file, and the page says why it is not running
  await toggle.click();
  await expect(state).toHaveAttribute('data-state', 'port-in-use');
  await expect(section).toContainText(`port ${port} is in use by another program`);
  await expect(toggle).toBeChecked();
  const written = await yaml();
  expect(written).toContain('# hand-written: keep this comment');
  expect(written).toMatch(/gateway:\n {2}port: \d+\n {2}enabled: true/);

  // the port is free again: off and on, and it runs there
  await holder.release();
  await toggle.click();
  await expect(state).toHaveAttribute('data-state', 'off');
  await toggle.click();
  await expect(state).toHaveAttribute('data-state', 'running');

  // names the core refuses, beside the field
  const name = section.getByTestId('gateway-token-name');
  const nameError = section.getByTestId('gateway-token-name-error');
  await name.fill('bad name');
  await section.getByTestId('gateway-token-create').click();
  await expect(nameError).toContainText('a token name is 1 to 64 letters, digits');

  // a token: its secret shown once, with a copy button
  await name.fill('e2e-client');
  await section.getByTestId('gateway-token-create').click();
  await expect(nameError).toHaveCount(0);
  const secretBox = section.getByTestId('gateway-new-token-box');
  await expect(secretBox).toContainText('it is not shown again');
  const token = (await section.getByTestId('gateway-new-token').textContent()) ?? '';
  expect(token).toMatch(/^sbk-/);
  await secretBox.getByRole('button', { name: 'Copy token' }).click();
  await expect(secretBox.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token);
  const row = section.locator('[data-testid="gateway-token-row"][data-token="e2e-client"]');
  await expect(row).toContainText(`sbk-…${token.slice(-4)}`);
  // The README's screenshot (a throwaway token of a temp data dir), refreshed only on request:
  // a test run must not rewrite tracked files.
  if (process.env.SWITCHBOARD_SCREENSHOTS === '1') await section.screenshot({ path: 'docs/settings-gateway.png' });

  await name.fill('e2e-client');
  await section.getByTestId('gateway-token-create').click();
  await expect(nameError).toContainText('already exists');
  await section.getByTestId('gateway-new-token-done').click();
  await expect(secretBox).toHaveCount(0);
  expect(await page.content()).not.toContain(token);

  // the openai client, from this side, through the gateway the page started
  const answer = await ask(baseURL, token);
  expect(answer.choices[0]?.message.content).toBe('hi through the gateway');

  // revoked after a confirmation: the same client is refused
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByTestId('gateway-token-revoke').click();
  await expect(row).toHaveCount(0);
  await expect(ask(baseURL, token)).rejects.toMatchObject({ status: 401 });

  // off: written to the file, and nothing listens
  await toggle.click();
  await expect(state).toHaveAttribute('data-state', 'off');
  expect(await yaml()).toContain('enabled: false');
  await expect(fetch(`${baseURL}/models`)).rejects.toThrow();
});
