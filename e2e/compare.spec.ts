import { type Locator, type Page, expect, test } from '@playwright/test';
import { startAnthropicWire } from '../test/wire/anthropic-wire';
import { startOpenAIWire } from '../test/wire/openai-wire';
import type { WireServer } from '../test/wire/scenario';
import { encodePng } from '../test/images/encode-png';
import { TINY_MODEL_ID } from './support/fixture-models';
import { type E2eServer, startE2eServer } from './support/switchboard-server';

/**
 * The Compare page against its own `switchboard serve` and two wire servers (OpenAI and Anthropic,
 * driven by the real SDKs): one prompt to both, side by side; one column stopped or failing while
 * the other answers; the recent runs after a reload; "continue in chat"; and every call in the
 * dashboard.
 */
const OPENAI = 'wire/gpt-4o';
const CLAUDE = 'claude/claude-haiku-4-5';
const PROMPT = 'What is the capital of France?';

test.describe.configure({ mode: 'serial' });

let server: E2eServer;
let openai: WireServer;
let claude: WireServer;

test.beforeAll(async () => {
  [openai, claude] = await Promise.all([startOpenAIWire(), startAnthropicWire()]);
  server = await startE2eServer({
    config: [
      'providers:',
      `  wire: { type: openai, baseURL: "${openai.baseURL}", apiKey: sk-e2e-compare-0000111122223333 }`,
      `  claude: { type: anthropic, baseURL: "${claude.baseURL}", apiKey: sk-ant-e2e-compare-000011112222 }`,
      '',
    ].join('\n'),
  });
});
test.afterAll(async () => {
  await server?.stop();
  await Promise.all([openai?.close(), claude?.close()]);
});

const column = (page: Page, index: number): Locator => page.locator(`[data-testid="compare-column"][data-column="${index}"]`);

async function chooseModel(page: Page, index: number, ref: string) {
  const select = page.locator(`[data-testid="compare-model"][data-column="${index}"]`);
  await expect(select.locator(`option[value="${ref}"]`)).toBeEnabled();
  await select.selectOption(ref);
}

test('one prompt to two models side by side, with each column\'s stop, error, recent runs, continue in chat, and the dashboard', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);
  await expect(page.getByTestId('composer')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('nav-compare').click();
  await expect(page).toHaveURL(/#compare$/);
  await chooseModel(page, 0, OPENAI);
  await chooseModel(page, 1, CLAUDE);

  // 1. Both answer, streamed as markdown, each with its own tokens, cost and timings.
  openai.enqueue({ text: ['The capital is ', '**Paris**', '.'], usage: { input: 14, output: 6 }, delayMs: 20 });
  claude.enqueue({ text: ['It is ', 'Paris', ', on the Seine.'], usage: { input: 16, output: 9 }, delayMs: 20 });
  await page.getByTestId('compare-input').fill(PROMPT);
  await page.getByTestId('compare-input').press('Enter');
  await expect(column(page, 0)).toHaveAttribute('data-status', 'complete');
  await expect(column(page, 1)).toHaveAttribute('data-status', 'complete');
  await expect(column(page, 0).locator('strong')).toHaveText('Paris');
  await expect(column(page, 1).getByTestId('compare-text')).toHaveText('It is Paris, on the Seine.');
  await expect(column(page, 0).getByTestId('meta-tokens')).toHaveText('14 in · 6 out');
  await expect(column(page, 1).getByTestId('meta-tokens')).toHaveText('16 in · 9 out');
  for (const i of [0, 1]) {
    await expect(column(page, i).getByTestId('meta-cost')).toHaveText(/\$\d/);
    await expect(column(page, i).getByTestId('meta-latency')).toContainText('first token');
  }
  // Each provider got the prompt through its own SDK.
  expect(JSON.stringify(openai.requests.at(-1)?.body)).toContain(PROMPT);
  expect(JSON.stringify(claude.requests.at(-1)?.body)).toContain(PROMPT);

  if (process.env.SWITCHBOARD_SCREENSHOTS === '1') {
    await page.screenshot({ path: 'docs/compare.png' });
  }

  // 2. Re-run, and stop the OpenAI column alone: the Claude column runs to its end.
  openai.enqueue({ text: Array.from({ length: 60 }, (_, i) => `word${i} `), delayMs: 60 });
  claude.enqueue({ text: ['Paris', ' again', '.'], delayMs: 300 });
  await page.getByTestId('compare-rerun').click();
  await expect(column(page, 0).getByTestId('compare-text')).toContainText('word1');
  await column(page, 0).getByTestId('compare-stop-column').click();
  await expect(column(page, 0)).toHaveAttribute('data-status', 'aborted');
  await expect(column(page, 0).getByTestId('compare-stopped')).toBeVisible();
  await expect(column(page, 1)).toHaveAttribute('data-status', 'complete');
  await expect(column(page, 1).getByTestId('compare-text')).toHaveText('Paris again.');

  // 3. A failure in one column is that column's error; the other answers. (A 404, not a refused
  // key: an auth error opens the deployment's breaker at once, and the next test uses it.)
  openai.enqueue({ fault: { kind: 'status', status: 404, message: 'The model does not exist' } });
  claude.enqueue({ text: ['Still Paris.'] });
  await page.getByTestId('compare-rerun').click();
  await expect(column(page, 0)).toHaveAttribute('data-status', 'error');
  await expect(column(page, 0).getByTestId('compare-error')).toContainText('not found');
  await expect(column(page, 1)).toHaveAttribute('data-status', 'complete');
  await expect(column(page, 1).getByTestId('compare-text')).toHaveText('Still Paris.');

  // 4. After a reload the stored runs are listed: open the first one again.
  await page.reload();
  await expect(page.getByTestId('compare-recent-item')).toHaveCount(3);
  await page.getByTestId('compare-recent-item').last().click();
  await expect(column(page, 0).locator('strong')).toHaveText('Paris');
  await expect(column(page, 1).getByTestId('compare-text')).toHaveText('It is Paris, on the Seine.');
  await expect(column(page, 1).getByTestId('meta-tokens')).toHaveText('16 in · 9 out');

  // 5. Continue the Claude answer in a new chat: the prompt and that answer, with its route.
  await column(page, 1).getByTestId('compare-continue').click();
  await expect(page).toHaveURL(/#chat$/);
  await expect(page.getByTestId('user-message')).toHaveText(new RegExp(PROMPT.replace('?', '\\?')));
  const answer = page.getByTestId('assistant-message');
  await expect(answer.getByTestId('message-text')).toHaveText('It is Paris, on the Seine.');
  await expect(answer.getByTestId('meta-tokens')).toHaveText('16 in · 9 out');
  await expect(page.getByTestId('conversation-item').first()).toContainText('capital of France');

  // 6. Every column's call is in the usage: 3 runs × 2 columns.
  await page.getByTestId('nav-dashboard').click();
  await page.getByTestId('dash-range-today').click();
  await expect(page.getByTestId('dash-total-calls')).toHaveText('6');
  await expect(page.locator(`[data-testid="dash-deployment-row"][data-key="${OPENAI}"]`).getByTestId('dash-deployment-calls')).toHaveText('3');
  await expect(page.locator(`[data-testid="dash-deployment-row"][data-key="${CLAUDE}"]`).getByTestId('dash-deployment-calls')).toHaveText('3');
});

/** Drops a file on the compare form as the OS would: a DataTransfer holding a File. */
async function dropFile(page: Page, name: string, bytes: Buffer, type: string) {
  // (A string: this project's node tsconfig has no DOM types.)
  const dataTransfer = await page.evaluateHandle(`(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(bytes.toString('base64'))}), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], ${JSON.stringify(name)}, { type: ${JSON.stringify(type)} }));
    return transfer;
  })()`);
  await page.getByTestId('compare-form').dispatchEvent('drop', { dataTransfer });
}

test('asks for a model per column, holds images from a model that cannot see them, and sends them to every column', async ({ page }) => {
  await page.goto(`${server.url}#compare`);
  await expect(page.getByTestId('compare-page')).toBeVisible();
  await page.getByTestId('compare-add-column').click();
  await expect(page.getByTestId('compare-model')).toHaveCount(3);
  await page.getByTestId('compare-input').fill('What is in this picture?');
  // The third column has no model yet: Compare stays off.
  await chooseModel(page, 0, TINY_MODEL_ID);
  await chooseModel(page, 1, OPENAI);
  await expect(page.getByTestId('compare-run')).toBeDisabled();
  await page.getByTestId('compare-remove-column').nth(2).click();
  await expect(page.getByTestId('compare-model')).toHaveCount(2);
  await expect(page.getByTestId('compare-run')).toBeEnabled();

  // A local GGUF model has no vision: the image is held, not dropped, until that column changes.
  const png = encodePng(6, 4);
  await dropFile(page, 'dot.png', png, 'image/png');
  await expect(page.getByTestId('draft-attachment')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('compare-vision-warning')).toContainText('can’t see images');
  await expect(page.getByTestId('compare-run')).toBeDisabled();
  await chooseModel(page, 0, CLAUDE);
  await expect(page.getByTestId('compare-vision-warning')).toHaveCount(0);

  claude.enqueue({ text: ['A small dot.'] });
  openai.enqueue({ text: ['A tiny image.'] });
  await page.getByTestId('compare-run').click();
  await expect(column(page, 0)).toHaveAttribute('data-status', 'complete');
  await expect(column(page, 1)).toHaveAttribute('data-status', 'complete');
  // The prompt's image is shown above the answers.
  await expect(page.getByTestId('message-image')).toHaveCount(1);
  const base64 = png.toString('base64');
  expect(JSON.stringify(openai.requests.at(-1)?.body)).toContain(`data:image/png;base64,${base64}`);
  expect(JSON.stringify(claude.requests.at(-1)?.body)).toContain(base64);
});

test('deletes a comparison from the recent list, after a confirmation; it stays gone after a reload', async ({ page }) => {
  await page.goto(`${server.url}#compare`);
  await expect(page.getByTestId('compare-page')).toBeVisible();
  await chooseModel(page, 0, OPENAI);
  await chooseModel(page, 1, CLAUDE);
  const prompt = 'A comparison to delete';
  openai.enqueue({ text: ['one'] });
  claude.enqueue({ text: ['two'] });
  await page.getByTestId('compare-input').fill(prompt);
  await page.getByTestId('compare-input').press('Enter');
  await expect(column(page, 1)).toHaveAttribute('data-status', 'complete');
  await expect(column(page, 0)).toHaveAttribute('data-status', 'complete');
  const item = page.getByTestId('compare-recent').locator('li').filter({ hasText: prompt });
  await expect(item).toHaveCount(1);
  const others = await page.getByTestId('compare-recent-item').count();

  // Cancelled: nothing changes.
  page.once('dialog', (dialog) => void dialog.dismiss());
  await item.getByTestId('compare-recent-delete').click();
  await expect(item).toHaveCount(1);
  await expect(page.getByTestId('compare-prompt')).toContainText(prompt);

  // Confirmed: off the list, and off the screen since it was shown.
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.accept();
  });
  await item.getByTestId('compare-recent-delete').click();
  await expect(item).toHaveCount(0);
  expect(asked).toContain(prompt);
  await expect(page.getByTestId('compare-prompt')).toHaveCount(0);
  await expect(page.getByTestId('compare-recent-item')).toHaveCount(others - 1);

  await page.reload();
  await expect(page.getByTestId('compare-recent-item')).toHaveCount(others - 1);
  await expect(page.getByTestId('compare-recent').locator('li').filter({ hasText: prompt })).toHaveCount(0);
});
