import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { answerText, openApp, pickModel, recordStreamingLengths, recordedLengths, sendMessage, usageNumber } from './support/app';
import { E2E_CONFIG_YAML, MOCK_MODEL_ID, MOCK_PROVIDER, MOCK_RESPONSE, TINY_MODEL_ID } from './support/fixture-models';
import { DATA_DIR_ENV } from './support/global-setup';

test.describe('configured providers in the model picker', () => {
  test.beforeEach(async ({ page }) => {
    await openApp(page);
  });

  test('groups models by provider, local first, with the mock provider’s model', async ({ page }) => {
    const picker = page.getByTestId('model-picker');
    const groups = picker.getByTestId('model-group');
    await expect(groups).toHaveCount(2);
    expect(await groups.evaluateAll((els) => els.map((el) => el.getAttribute('data-provider')))).toEqual(['local', MOCK_PROVIDER]);
    await expect(groups.first().locator(`option[value="${TINY_MODEL_ID}"]`)).toBeEnabled();
    await expect(groups.nth(1)).toHaveAttribute('label', `${MOCK_PROVIDER} · mock`);
    await expect(groups.nth(1).locator(`option[value="${MOCK_MODEL_ID}"]`)).toBeEnabled();
    await expect(page.getByTestId('provider-error')).toHaveCount(0);
  });

  test('chats with the mock provider: the streamed answer, its meta and the usage panel', async ({ page }) => {
    await pickModel(page, MOCK_MODEL_ID);
    const callsBefore = await usageNumber(page, 'usage-calls');
    await recordStreamingLengths(page);

    const answer = await sendMessage(page, 'Hello, mock?');
    await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
    await expect(answerText(answer)).toHaveText(MOCK_RESPONSE);
    const lengths = (await recordedLengths(page)).filter((n) => n > 0);
    expect(new Set(lengths).size, `lengths seen while streaming: ${lengths.join(', ')}`).toBeGreaterThanOrEqual(2);

    const meta = answer.getByTestId('message-meta');
    await expect(meta.getByTestId('meta-model')).toHaveText(MOCK_MODEL_ID);
    await expect(meta.getByTestId('meta-tokens')).toHaveText(/^[\d,]+ in · [\d,]+ out$/);

    await expect.poll(() => usageNumber(page, 'usage-calls')).toBe(callsBefore + 1);
    await expect(page.getByTestId('usage-model-row').filter({ hasText: MOCK_MODEL_ID })).toBeVisible();

    // the choice survives a reload
    await page.reload();
    await expect(page.getByTestId('model-picker')).toHaveValue(MOCK_MODEL_ID);
  });

  test('takes a typed provider/model ref, and refuses one that names no configured provider', async ({ page }) => {
    const picker = page.getByTestId('model-picker');
    await pickModel(page, TINY_MODEL_ID);
    await picker.selectOption({ label: 'Custom model…' });
    const input = page.getByTestId('custom-model-input');
    await expect(input).toBeFocused();

    await input.fill('nowhere/some-model');
    await page.getByTestId('custom-model-apply').click();
    await expect(page.getByTestId('custom-model-error')).toHaveText(`unknown provider "nowhere"; configured providers: ${MOCK_PROVIDER}`);
    await expect(picker).toHaveValue(TINY_MODEL_ID);

    await input.fill(`${MOCK_PROVIDER}/`);
    await input.press('Enter');
    await expect(page.getByTestId('custom-model-error')).toContainText('empty');

    const custom = `${MOCK_PROVIDER}/any-model-id`;
    await input.fill(custom);
    await input.press('Enter');
    await expect(page.getByTestId('custom-model-form')).toHaveCount(0);
    await expect(picker).toHaveValue(custom);

    const answer = await sendMessage(page, 'Any model works for the mock');
    await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
    await expect(answerText(answer)).toHaveText(MOCK_RESPONSE);
    await expect(answer.getByTestId('meta-model')).toHaveText(custom);
  });

  test('lists a provider added to switchboard.yaml without a reload, and drops it when it goes', async ({ page }) => {
    const dataDir = process.env[DATA_DIR_ENV];
    test.skip(!dataDir, 'needs the data dir global setup made (not a server started by hand)');
    const config = join(dataDir as string, 'switchboard.yaml');
    const echo = page.locator('[data-testid="model-group"][data-provider="echo"]');
    await expect(page.getByTestId('model-group')).toHaveCount(2);
    try {
      await writeFile(config, `${E2E_CONFIG_YAML}  echo: { type: mock, echo: true }\n`);
      await expect(echo).toHaveCount(1);
      await expect(echo.locator('option[value="echo/mock-1"]')).toBeEnabled();
    } finally {
      await writeFile(config, E2E_CONFIG_YAML);
    }
    await expect(echo).toHaveCount(0);
  });
});
