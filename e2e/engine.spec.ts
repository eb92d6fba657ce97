import { expect, test } from '@playwright/test';
import { appUrl } from './support/app';
import { TINY_MODEL_ID } from './support/fixture-models';

test.describe('the engine panel', () => {
  test('shows the backend the self-check chose, loads a model with its own settings, and unloads it', async ({ page }) => {
    await page.goto(`${appUrl()}#models`);
    await expect(page.getByTestId('page-models')).toBeVisible();
    await page.getByTestId('models-engine').locator('summary').click();
    const panel = page.getByTestId('engine-panel');
    await expect(panel).toBeVisible();

    // This machine has no GPU: the self-check chose the CPU and says why.
    await expect(panel.getByTestId('engine-backend')).toHaveText('CPU');
    await expect(panel.getByTestId('engine-self-check')).toContainText('No usable GPU backend');
    await expect(panel.getByTestId('engine-memory')).toContainText('budget');

    await panel.getByTestId('engine-model-select').selectOption(TINY_MODEL_ID);
    const form = panel.getByTestId(`engine-settings-${TINY_MODEL_ID}`);
    await form.getByLabel('Context size').fill('256');
    await form.getByLabel('Threads').fill('1');
    // The KV cache type hides behind Advanced.
    await expect(form.getByTestId('engine-settings-kv')).toHaveCount(0);
    await form.getByTestId('engine-settings-advanced').check();
    await expect(form.getByTestId('engine-settings-kv')).toBeVisible();
    await form.getByTestId('engine-settings-kv').selectOption('f32');
    await form.getByTestId('engine-settings-load').click();

    const row = panel.getByTestId(`engine-model-${TINY_MODEL_ID}`);
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(row).toContainText('256');
    await expect(row).toContainText('f32');

    await row.getByRole('button', { name: 'Unload' }).click();
    await expect(row).toHaveCount(0);
    await expect(panel).toContainText('No model loaded');
  });
});
