import { expect, test } from '@playwright/test';
import { answerText, openApp, pickModel, sendMessage } from './support/app';
import { BROKEN_MODEL_FILE, BROKEN_MODEL_ID, TINY_MODEL_ID } from './support/fixture-models';

test('a corrupt .gguf is listed disabled with its error, and the good model still chats', async ({ page }) => {
  await openApp(page);
  const picker = page.getByTestId('model-picker');
  const broken = picker.locator(`option[value="${BROKEN_MODEL_ID}"]`);
  await expect(broken).toBeDisabled();
  await expect(broken).toHaveAttribute('title', new RegExp(BROKEN_MODEL_FILE.replace('.', '\\.')));

  const problem = page.locator(`[data-testid="model-error"][data-model-id="${BROKEN_MODEL_ID}"]`);
  await expect(problem).toBeVisible();
  await expect(problem).toContainText(/GGUF/i);

  // the picker never lands on it, and choosing it is refused
  await expect(picker).not.toHaveValue(BROKEN_MODEL_ID);

  await pickModel(page, TINY_MODEL_ID);
  const answer = await sendMessage(page, 'Are you still there?', { maxTokens: 24 });
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
  await expect(answerText(answer)).not.toHaveText('');
  await expect(answer.getByTestId('message-error')).toHaveCount(0);
});
