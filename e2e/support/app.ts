import { type Locator, type Page, expect } from '@playwright/test';

/** The URL global setup got from `switchboard serve`. */
export function appUrl(): string {
  const url = process.env.SWITCHBOARD_E2E_URL;
  if (!url) throw new Error('SWITCHBOARD_E2E_URL is not set: run the specs through playwright.config.ts (global setup)');
  return url;
}

export async function openApp(page: Page): Promise<void> {
  await page.goto(appUrl());
  await expect(page.getByTestId('composer')).toBeVisible();
}

export async function pickModel(page: Page, modelId: string): Promise<void> {
  const picker = page.getByTestId('model-picker');
  await expect(picker.locator(`option[value="${modelId}"]`)).toBeEnabled();
  await picker.selectOption(modelId);
  await expect(picker).toHaveValue(modelId);
}

/** Types into the composer and presses Enter (which sends). */
export async function sendMessage(page: Page, text: string, options: { maxTokens?: number } = {}): Promise<Locator> {
  await page.getByTestId('max-tokens').fill(options.maxTokens === undefined ? '' : String(options.maxTokens));
  const composer = page.getByTestId('composer');
  await composer.fill(text);
  const before = await page.getByTestId('assistant-message').count();
  await composer.press('Enter');
  await expect(page.getByTestId('assistant-message')).toHaveCount(before + 1);
  return page.getByTestId('assistant-message').last();
}

export const answerText = (answer: Locator) => answer.getByTestId('message-text');

/** The number in a usage panel cell ("1,234" → 1234). */
export async function usageNumber(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  const value = Number(text.replace(/[^\d]/g, ''));
  return text.trim() === '—' ? 0 : value;
}

/**
 * Records, in the page, each distinct length the streaming answer's text reaches, so
 * the spec can tell tokens arrived one batch at a time even when the stream is fast.
 * (A string: this project's node tsconfig has no DOM types.)
 */
const RECORDER = `(() => {
  window.__sbObserver?.disconnect();
  window.__sbLengths = [];
  const sample = () => {
    const answers = document.querySelectorAll('[data-testid="assistant-message"]');
    const last = answers[answers.length - 1];
    if (!last || last.dataset.status !== 'streaming') return;
    const length = last.querySelector('[data-testid="message-text"]')?.textContent?.length ?? 0;
    if (window.__sbLengths[window.__sbLengths.length - 1] !== length) window.__sbLengths.push(length);
  };
  window.__sbObserver = new MutationObserver(sample);
  window.__sbObserver.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
})()`;

export async function recordStreamingLengths(page: Page): Promise<void> {
  await page.evaluate(RECORDER);
}

export async function recordedLengths(page: Page): Promise<number[]> {
  return (await page.evaluate('window.__sbLengths')) as number[];
}
