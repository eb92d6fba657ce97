import { expect, test } from '@playwright/test';
import { appUrl } from './support/app';
import { BROKEN_MODEL_ID, MOCK_MODEL_ID, MOCK_PROVIDER, TINY_MODEL_ID } from './support/fixture-models';

test.describe('the model browser', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto(`${appUrl()}#models`);
    await expect(page.getByTestId('page-models')).toBeVisible();
  });

  test('lists the local files with their metadata, the broken one with why, and the provider’s models', async ({ page }) => {
    const tiny = page.locator(`[data-testid="local-model-row"][data-model-id="${TINY_MODEL_ID}"]`);
    await expect(tiny).toBeVisible();
    await expect(tiny).toContainText('llama'); // the architecture read from the GGUF header
    await expect(tiny.getByTestId('local-model-error')).toHaveCount(0);
    await expect(tiny).toContainText(/\d+(\.\d+)? (KB|MB)/);

    const broken = page.locator(`[data-testid="local-model-row"][data-model-id="${BROKEN_MODEL_ID}"]`);
    await expect(broken.getByTestId('local-model-error')).toContainText(/GGUF/i);

    const mock = page.locator(`[data-testid="provider-model-row"][data-model-id="${MOCK_MODEL_ID}"]`);
    await expect(mock).toHaveAttribute('data-provider', MOCK_PROVIDER);
    await expect(mock).toContainText('ready');
  });

  test('searches, filters by place and provider, and clears the filters', async ({ page }) => {
    const localRows = page.getByTestId('local-model-row');
    const providerRows = page.getByTestId('provider-model-row');
    await expect(localRows.first()).toBeVisible();
    await expect(providerRows.first()).toBeVisible();
    const localCount = await localRows.count();
    const total = await page.getByTestId('models-count').textContent();

    await page.getByTestId('models-search').fill('tiny llama f32');
    await expect(localRows).toHaveCount(1);
    await expect(localRows.first()).toHaveAttribute('data-model-id', TINY_MODEL_ID);
    await expect(providerRows).toHaveCount(0);
    await expect(page.getByTestId('models-count')).toContainText(/^1 of \d+ models/);

    await page.getByTestId('models-clear-filters').click();
    await expect(page.getByTestId('models-search')).toHaveValue('');
    await expect(page.getByTestId('models-count')).toHaveText(total ?? '');

    // the mock runs on this machine, like the files; nothing here is a cloud model
    await page.getByTestId('models-filter-location').selectOption('local');
    await expect(localRows).toHaveCount(localCount);
    await expect(page.locator(`[data-testid="provider-model-row"][data-model-id="${MOCK_MODEL_ID}"]`)).toBeVisible();
    await page.getByTestId('models-filter-location').selectOption('cloud');
    await expect(page.getByTestId('local-models')).toHaveCount(0);
    await expect(providerRows).toHaveCount(0);
    await expect(page.getByTestId('models-count')).toContainText(/^0 of \d+ models/);

    await page.getByTestId('models-filter-location').selectOption('all');
    await page.getByTestId('models-filter-provider').selectOption('local');
    await expect(localRows).toHaveCount(localCount);
    await expect(page.getByTestId('provider-models')).toHaveCount(0);

    // the filters survive leaving the page and coming back
    await page.getByTestId('nav-chat').click();
    await page.getByTestId('nav-models').click();
    await expect(page.getByTestId('models-filter-provider')).toHaveValue('local');
  });

  test('the capability filter keeps only models known to have it', async ({ page }) => {
    await page.getByTestId('models-filter-capability').selectOption('vision');
    // the local files' capabilities are unknown, so none of them shows up
    await expect(page.getByTestId('local-model-row')).toHaveCount(0);
    const mock = page.locator(`[data-testid="provider-model-row"][data-model-id="${MOCK_MODEL_ID}"]`);
    await expect(mock.getByTestId('model-capability').filter({ hasText: 'vision' })).toHaveCount(1);
    for (const row of await page.getByTestId('provider-model-row').all()) {
      await expect(row.getByTestId('model-capability').filter({ hasText: 'vision' })).toHaveCount(1);
    }
  });

  test('“Load…” on a local model opens the engine panel’s settings for it', async ({ page }) => {
    const tiny = page.locator(`[data-testid="local-model-row"][data-model-id="${TINY_MODEL_ID}"]`);
    await expect(page.getByTestId('engine-panel')).toHaveCount(0); // folded away until asked for
    await tiny.getByTestId('local-model-engine').click();
    await expect(page.getByTestId('engine-panel')).toBeInViewport();
    await expect(page.getByTestId('engine-model-select')).toHaveValue(TINY_MODEL_ID);
    await expect(page.getByTestId(`engine-settings-${TINY_MODEL_ID}`)).toBeVisible();
  });

  test('importing a dropped .gguf in the browser says why it can’t, and how to add the file instead', async ({ page }) => {
    // what a file dragged from the desktop looks like to the page (a string: the e2e tsconfig has no DOM types)
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.items.add(new File(['GGUF'], 'dropped.gguf'));
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, cancelable: true }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, cancelable: true }));
    })()`);
    const notice = page.getByTestId('library-notice');
    await expect(notice).toHaveAttribute('data-kind', 'error');
    await expect(notice).toContainText('needs the desktop app');
    await expect(notice).toContainText('models folder');
  });
});
