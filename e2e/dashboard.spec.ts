import { readFile } from 'node:fs/promises';
import { type Page, expect, test } from '@playwright/test';
import { answerText, pickModel, sendMessage } from './support/app';
import { TINY_MODEL_ID } from './support/fixture-models';
import { type E2eServer, startE2eServer } from './support/switchboard-server';

/**
 * The cost dashboard against its own `switchboard serve` (its own data dir, so clearing the history
 * touches no other spec): a few real calls through the chat UI (a mock provider that reports fixed
 * usage, and the tiny local model), then the charts' numbers, the CSV export and clearing.
 */
const PROVIDER = 'dash';
const MOCK_MODEL = `${PROVIDER}/mock-1`;
const CONFIG = `providers:
  ${PROVIDER}: { type: mock, response: "Numbers, please.", tokenDelayMs: 5, usage: { inputTokens: 120, outputTokens: 30, cacheReadTokens: 20, reasoningTokens: 10 } }
`;

let server: E2eServer;

test.beforeAll(async () => {
  server = await startE2eServer({ config: CONFIG });
});
test.afterAll(async () => {
  await server?.stop();
});

async function chat(page: Page, model: string, prompt: string, maxTokens?: number) {
  await pickModel(page, model);
  const answer = await sendMessage(page, prompt, maxTokens === undefined ? {} : { maxTokens });
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
  await expect(answerText(answer)).not.toHaveText('');
}

const numberIn = async (page: Page, testId: string) => Number((await page.getByTestId(testId).getAttribute('data-value')) ?? NaN);

test('the dashboard shows the calls made in the test, exports them as CSV and clears them', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByTestId('composer')).toBeVisible();
  // Before any call: the dashboard says why it is empty.
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('dash-empty')).toContainText('No calls in this range');
  await page.getByTestId('nav-chat').click();

  await chat(page, MOCK_MODEL, 'First call');
  await page.getByTestId('new-chat').click();
  await chat(page, MOCK_MODEL, 'Second call');
  await page.getByTestId('new-chat').click();
  await chat(page, TINY_MODEL_ID, 'A local call', 12);

  await page.getByTestId('nav-dashboard').click();
  const dashboard = page.getByTestId('page-dashboard');
  await expect(dashboard).toBeVisible();
  await page.getByTestId('dash-range-today').click();
  await expect(page.getByTestId('dash-empty')).toHaveCount(0);

  // Totals: three calls; the mock's fixed usage twice, plus whatever the local model used.
  await expect(page.getByTestId('dash-total-calls')).toHaveText('3');
  const tokensIn = await numberIn(page, 'dash-total-input');
  const tokensOut = await numberIn(page, 'dash-total-output');
  expect(tokensIn).toBeGreaterThan(240);
  expect(tokensOut).toBeGreaterThan(60);
  await expect(page.getByTestId('dash-total-cost')).toHaveText('$0'); // a mock and a local model cost nothing

  // Tokens by kind, labelled on the bars: the mock's cache reads and reasoning, twice.
  // (the local model reports neither kind; every kind adds up to the totals)
  await expect(page.getByTestId('chart-tokens').locator('.dash-label')).toContainText(['40', '20']);
  expect(await numberIn(page, 'dash-tokens-cacheRead')).toBe(40);
  expect(await numberIn(page, 'dash-tokens-reasoning')).toBe(20);
  expect(await numberIn(page, 'dash-tokens-cacheWrite')).toBe(0);
  const kinds = ['inputNoCache', 'cacheRead', 'cacheWrite'].map((k) => numberIn(page, `dash-tokens-${k}`));
  expect((await Promise.all(kinds)).reduce((a, b) => a + b, 0)).toBe(tokensIn);
  const outKinds = ['outputText', 'reasoning'].map((k) => numberIn(page, `dash-tokens-${k}`));
  expect((await Promise.all(outKinds)).reduce((a, b) => a + b, 0)).toBe(tokensOut);

  // Each deployment: calls, success, latency; the local one has a measured latency and TTFT.
  const mockRow = page.getByTestId('dash-deployment-row').filter({ hasText: MOCK_MODEL });
  await expect(mockRow.getByTestId('dash-deployment-calls')).toHaveText('2');
  await expect(mockRow.getByTestId('dash-deployment-success')).toHaveText('100%');
  await expect(mockRow.getByTestId('dash-deployment-latency')).toHaveText(/^\d+(\.\d+)? (ms|s) \/ \d+(\.\d+)? (ms|s)$/);
  const localRow = page.getByTestId('dash-deployment-row').filter({ hasText: TINY_MODEL_ID });
  await expect(localRow.getByTestId('dash-deployment-calls')).toHaveText('1');
  // Latency chart: labelled bars for both deployments (p50 and p95, and TTFT where measured).
  await expect.poll(() => page.getByTestId('chart-latency').locator('.dash-label').filter({ hasText: /\d/ }).count()).toBeGreaterThanOrEqual(4);

  // Spend over time: one series per provider, the toggle switches to models.
  await expect(page.getByTestId('chart-spend')).toHaveAttribute('data-series', /dash/);
  await expect(page.getByTestId('chart-spend')).toHaveAttribute('data-series', /local/);
  await page.getByTestId('dash-spend-by-model').click();
  await expect(page.getByTestId('chart-spend')).toHaveAttribute('data-series', new RegExp(MOCK_MODEL));

  // Top conversations: the three, by their titles.
  await expect(page.getByTestId('dash-conversation-row')).toHaveCount(3);
  await expect(page.getByTestId('dash-top-conversations')).toContainText('First call');

  // Local savings at gpt-4o-mini's prices ($0.15 in / $0.60 out per 1M): the local call's tokens.
  await expect(page.getByTestId('dash-savings-detail')).toContainText('1 local call');
  const saved = await numberIn(page, 'dash-savings-value');
  expect(saved).toBeGreaterThan(0);
  await page.getByTestId('dash-savings-model').selectOption('openai/gpt-4o');
  await expect.poll(() => numberIn(page, 'dash-savings-value')).toBeGreaterThan(saved);

  // CSV export: a downloaded file with a header and the three calls.
  const download = page.waitForEvent('download');
  await page.getByTestId('dash-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^switchboard-usage-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await file.path(), 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^started_at,ended_at,provider,model,deployment,outcome,/);
  expect(lines).toHaveLength(4);
  expect(lines.filter((l) => l.includes(`,${PROVIDER},mock-1,`))).toHaveLength(2);
  expect(lines.some((l) => l.includes(',local,local/tiny,'))).toBe(true);
  await expect(page.getByTestId('dash-notice')).toContainText('Exported 3 calls');

  // Clear: cancel keeps everything; confirming deletes the range's calls.
  await page.getByTestId('dash-clear').click();
  await expect(page.getByTestId('dash-clear-dialog')).toBeVisible();
  await page.getByTestId('dash-clear-cancel').click();
  await expect(page.getByTestId('dash-total-calls')).toHaveText('3');
  await page.getByTestId('dash-clear').click();
  await expect(page.getByTestId('dash-clear-dialog')).toContainText('The range shown (3 calls)');
  await page.getByTestId('dash-clear-confirm').click();
  await expect(page.getByTestId('dash-notice')).toContainText('Deleted 3 calls');
  await expect(page.getByTestId('dash-total-calls')).toHaveText('0');
  await expect(page.getByTestId('dash-empty')).toBeVisible();
  await expect(page.getByTestId('dash-deployment-row')).toHaveCount(0);
  await expect(page.getByTestId('dash-export')).toBeDisabled();
});
