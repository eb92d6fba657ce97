import { expect, test } from '@playwright/test';
import {
  answerText,
  openApp,
  pickModel,
  recordStreamingLengths,
  recordedLengths,
  sendMessage,
  usageNumber,
} from './support/app';
import { TINY_MODEL_ID } from './support/fixture-models';

test.describe('chat against switchboard serve', () => {
  test.beforeEach(async ({ page }) => {
    await openApp(page);
    await pickModel(page, TINY_MODEL_ID);
  });

  test('streams the answer as it is generated, then shows its meta', async ({ page }) => {
    await recordStreamingLengths(page);
    // Long enough to span many frames: the tiny model makes ~1,000 tokens/s, so a short answer can
    // land in one frame on a busy machine. 1,500 stays inside its 2,048-token context.
    const answer = await sendMessage(page, 'Tell me a story about switchboards', { maxTokens: 1500 });

    await expect(page.getByTestId('user-message').last()).toContainText('Tell me a story about switchboards');
    await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });

    const lengths = (await recordedLengths(page)).filter((n) => n > 0);
    expect(new Set(lengths).size, `lengths seen while streaming: ${lengths.join(', ')}`).toBeGreaterThanOrEqual(2);
    const finalText = (await answerText(answer).textContent()) ?? '';
    expect(finalText.length).toBeGreaterThan(0);
    expect(finalText.length).toBeGreaterThanOrEqual(Math.max(...lengths));

    const meta = answer.getByTestId('message-meta');
    await expect(meta.getByTestId('meta-model')).toHaveText('tiny');
    await expect(meta.getByTestId('meta-tokens')).toHaveText(/^[\d,]+ in · [\d,]+ out$/);
    await expect(meta.getByTestId('meta-latency')).toHaveText(/\d+(\.\d+)? (ms|s)/);
  });

  test('Stop ends a long answer and it stays stopped', async ({ page }) => {
    const answer = await sendMessage(page, 'Write as much as you can', { maxTokens: 100_000 });
    const text = answerText(answer);
    await expect(text).not.toHaveText('');
    await expect(answer).toHaveAttribute('data-status', 'streaming');

    await page.getByTestId('stop').click();
    await expect(answer).toHaveAttribute('data-status', 'aborted');
    await expect(answer.getByTestId('message-stopped')).toBeVisible();
    await expect(page.getByTestId('send')).toBeVisible();

    const stoppedAt = ((await text.textContent()) ?? '').length;
    expect(stoppedAt).toBeGreaterThan(0);
    await page.waitForTimeout(1500);
    expect(((await text.textContent()) ?? '').length).toBe(stoppedAt);
  });

  test('a conversation survives a reload', async ({ page }) => {
    const prompt = `Remember me ${Date.now()}`;
    const answer = await sendMessage(page, prompt, { maxTokens: 24 });
    await expect(answer).not.toHaveAttribute('data-status', 'streaming', { timeout: 60_000 });
    const answered = (await answerText(answer).textContent()) ?? '';

    await page.reload();
    const item = page.getByTestId('conversation-item').filter({ hasText: prompt });
    await expect(item).toHaveCount(1);
    await item.click();
    await expect(item).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('user-message')).toHaveText([new RegExp(prompt)]);
    await expect(page.getByTestId('assistant-message')).toHaveCount(1);
    await expect(answerText(page.getByTestId('assistant-message'))).toHaveText(answered);
  });

  test('the usage panel counts calls with their tokens', async ({ page }) => {
    const callsBefore = await usageNumber(page, 'usage-calls');
    const answer = await sendMessage(page, 'Count this call', { maxTokens: 16 });
    await expect(answer).not.toHaveAttribute('data-status', 'streaming', { timeout: 60_000 });

    await expect.poll(() => usageNumber(page, 'usage-calls')).toBeGreaterThan(callsBefore);
    expect(await usageNumber(page, 'usage-input-tokens')).toBeGreaterThan(0);
    expect(await usageNumber(page, 'usage-output-tokens')).toBeGreaterThan(0);
    await expect(page.getByTestId('usage-model-row').filter({ hasText: 'tiny' })).toBeVisible();
  });
});
