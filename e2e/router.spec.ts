import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { answerText, openApp, pickModel, sendMessage } from './support/app';
import { E2E_CONFIG_YAML, MOCK_PROVIDER, MOCK_RESPONSE } from './support/fixture-models';
import { DATA_DIR_ENV } from './support/global-setup';

test.describe('router groups in the model picker', () => {
  test('lists groups and aliases from switchboard.yaml, and chats through a group', async ({ page }) => {
    const dataDir = process.env[DATA_DIR_ENV];
    test.skip(!dataDir, 'needs the data dir global setup made (not a server started by hand)');
    const config = join(dataDir as string, 'switchboard.yaml');
    await openApp(page);
    const groups = page.getByTestId('route-group');
    try {
      await writeFile(
        config,
        `${E2E_CONFIG_YAML}groups:\n  helper:\n    deployments: [{ provider: ${MOCK_PROVIDER}, model: mock-1 }]\naliases:\n  buddy: helper\n`,
      );
      await expect(groups).toHaveCount(1);
      await expect(groups.getByTestId('route-option')).toHaveText(['helper', 'auto', 'buddy → helper']);

      await pickModel(page, 'helper');
      const answer = await sendMessage(page, 'Through the router, please');
      await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
      await expect(answerText(answer)).toHaveText(MOCK_RESPONSE);
      await expect(answer.getByTestId('meta-model')).toHaveText('helper');

      // A typed group name is taken too.
      await page.getByTestId('model-picker').selectOption({ label: 'Custom model…' });
      await page.getByTestId('custom-model-input').fill('buddy');
      await page.getByTestId('custom-model-apply').click();
      await expect(page.getByTestId('model-picker')).toHaveValue('buddy');
    } finally {
      await writeFile(config, E2E_CONFIG_YAML);
    }
    await expect(groups).toHaveCount(0);
  });
});
