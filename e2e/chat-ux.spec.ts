import { type Page, expect, test } from '@playwright/test';
import { answerText, pickModel } from './support/app';
import { type E2eServer, startE2eServer } from './support/switchboard-server';

/**
 * The chat's reading and editing tools against a real `switchboard serve`: markdown with
 * highlighted code and copy, the thinking block, tool calls, regenerate, edit-and-resend,
 * conversation search, keyboard shortcuts and their help overlay. Mock providers only.
 */
const ECHO = 'echo/mock-1';
const THINKER = 'thinker/mock-1';

let server: E2eServer;

test.beforeAll(async () => {
  server = await startE2eServer({
    config: [
      'providers:',
      '  echo: { type: mock, echo: true, tokenDelayMs: 2 }',
      '  thinker: { type: mock, response: "Checking the weather.", reasoning: "The user wants the weather, so call the tool.", toolCalls: [{ toolName: get_weather, input: { city: Oslo } }] }',
      '  broken: { type: mock, fault: { kind: server, message: "the mock is down" } }',
      'groups:',
      '  resilient: { deployments: [{ provider: broken, model: mock-1 }], fallbacks: [steady] }',
      '  steady: { deployments: [{ provider: echo, model: mock-1 }] }',
      '',
    ].join('\n'),
  });
});
test.afterAll(async () => {
  await server?.stop();
});

async function open(page: Page) {
  await page.goto(server.url);
  await expect(page.getByTestId('composer')).toBeVisible();
}

async function send(page: Page, text: string) {
  const before = await page.getByTestId('assistant-message').count();
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
  await expect(page.getByTestId('assistant-message')).toHaveCount(before + 1);
  const answer = page.getByTestId('assistant-message').last();
  await expect(answer).toHaveAttribute('data-status', 'complete');
  return answer;
}

test('answers render as markdown: highlighted code with a copy button, and no raw HTML', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  await pickModel(page, ECHO);
  const answer = await send(page, 'Some **bold** text <b>not html</b>\n\n```python\ndef double(x):\n    return x * 2\n```');
  await expect(answer.locator('strong')).toHaveText('bold');
  await expect(answer.locator('b')).toHaveCount(0);
  await expect(answerText(answer)).toContainText('text not html'); // the tags are dropped, never rendered
  const code = answer.getByTestId('code-block');
  await expect(code).toHaveAttribute('data-language', 'python');
  await expect(code.locator('.hljs-keyword').first()).toHaveText('def');
  await code.getByTestId('copy').click();
  await expect(code.getByTestId('copy')).toHaveText('Copied');
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe('def double(x):\n    return x * 2');
});

test('the thinking block is folded, and tool calls are shown', async ({ page }) => {
  await open(page);
  await pickModel(page, THINKER);
  const answer = await send(page, 'Weather in Oslo?');
  const thinking = answer.getByTestId('message-reasoning');
  await expect(thinking).not.toHaveAttribute('open');
  await thinking.locator('summary').click();
  await expect(thinking).toContainText('The user wants the weather');
  const call = answer.getByTestId('tool-call');
  await expect(call).toContainText('get_weather');
  await expect(call).toContainText('"city": "Oslo"');
  const summary = await thinking.locator('summary').textContent();
  const callText = await call.textContent();

  // Both were stored with the answer: after a reload they are drawn the same, folded again.
  await page.reload();
  await page.getByTestId('conversation-item').first().click();
  const stored = page.getByTestId('assistant-message').last();
  await expect(stored).toHaveAttribute('data-status', 'complete');
  const storedThinking = stored.getByTestId('message-reasoning');
  await expect(storedThinking).not.toHaveAttribute('open');
  await expect(storedThinking.locator('summary')).toHaveText(summary ?? '');
  await storedThinking.locator('summary').click();
  await expect(storedThinking).toContainText('The user wants the weather, so call the tool.');
  await expect(stored.getByTestId('tool-call')).toHaveText(callText ?? '');
});

test('regenerate replaces the last answer; edit-and-resend replaces a question and what followed', async ({ page }) => {
  await open(page);
  await pickModel(page, ECHO);
  await send(page, 'first question');
  await send(page, 'second question');
  await expect(page.getByTestId('user-message')).toHaveCount(2);

  await page.getByTestId('assistant-message').last().getByTestId('regenerate').click();
  await expect(page.getByTestId('assistant-message').last()).toHaveAttribute('data-status', 'complete');
  await expect(page.getByTestId('user-message')).toHaveCount(2);
  await expect(page.getByTestId('assistant-message')).toHaveCount(2);
  await expect(answerText(page.getByTestId('assistant-message').last())).toHaveText('second question');

  await page.getByTestId('user-message').first().getByTestId('edit-message').click();
  await page.getByTestId('edit-input').fill('the first question, edited');
  await page.getByTestId('edit-send').click();
  await expect(page.getByTestId('user-message')).toHaveCount(1);
  await expect(page.getByTestId('assistant-message')).toHaveCount(1);
  await expect(answerText(page.getByTestId('assistant-message'))).toHaveText('the first question, edited');

  // the edit is what the store kept
  await page.reload();
  await page.getByTestId('conversation-item').first().click();
  await expect(page.getByTestId('user-message')).toHaveCount(1);
  await expect(page.getByTestId('user-message')).toContainText('the first question, edited');
});

test('search finds a conversation by its text, and opening it from another page goes to the chat', async ({ page }) => {
  await open(page);
  await pickModel(page, ECHO);
  await send(page, 'Notes about the zeppelin hangar in Friedrichshafen');
  await page.getByTestId('new-chat').click();
  await send(page, 'Something else entirely');

  await page.goto(`${server.url}#settings`);
  const search = page.getByTestId('conversation-search');
  await search.fill('ZEPPELIN');
  const hit = page.getByTestId('conversation-item');
  await expect(hit).toHaveCount(1);
  await expect(hit.getByTestId('search-snippet')).toContainText('zeppelin hangar');
  await hit.click();
  await expect(page).toHaveURL(/#chat$/);
  await expect(page.getByTestId('user-message')).toContainText('zeppelin hangar');

  await search.fill('no such words anywhere');
  await expect(page.getByTestId('search-empty')).toBeVisible();
  await search.press('Escape');
  await expect(page.getByTestId('conversation-item')).not.toHaveCount(0);
});

test('keyboard shortcuts: help overlay, new chat, focus, switch model, search', async ({ page }) => {
  await open(page);
  await pickModel(page, ECHO);
  await send(page, 'hello shortcuts');
  await page.getByTestId('message-list').click({ position: { x: 5, y: 5 } });

  await page.keyboard.press('?');
  const help = page.getByTestId('shortcuts-help');
  await expect(help).toBeVisible();
  await expect(help).toContainText('New chat');
  await expect(help).toContainText('Switch model');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  await page.keyboard.press('Control+Shift+M');
  await expect(page.getByTestId('model-picker')).toBeFocused();
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('conversation-search')).toBeFocused();
  await page.keyboard.press('Shift+Escape');
  await expect(page.getByTestId('composer')).toBeFocused();
  await page.keyboard.press('Control+Shift+O');
  await expect(page.getByTestId('user-message')).toHaveCount(0);
  await expect(page.getByTestId('composer')).toBeFocused();
});

test('under an answer: the deployment that served it, the fallback taken, tokens, cost and timing', async ({ page }) => {
  await open(page);
  await pickModel(page, 'resilient');
  const answer = await send(page, 'route me');
  await expect(answerText(answer)).toHaveText('route me');
  const meta = answer.getByTestId('message-meta');
  await expect(meta.getByTestId('meta-route')).toHaveText('via steady#0 · echo/mock-1');
  await expect(meta.getByTestId('meta-fallbacks')).toContainText('1 fallback');
  await expect(meta.getByTestId('meta-fallbacks')).toContainText('broken/mock-1: server');
  await expect(meta.getByTestId('meta-cost')).toBeVisible();
  await expect(meta.getByTestId('meta-tokens')).toHaveText(/^[\d,]+ in · [\d,]+ out$/);
  await expect(meta.getByTestId('meta-latency')).toContainText('first token');

  // the same, read back from the store after a reload
  await page.reload();
  await page.getByTestId('conversation-item').first().click();
  await expect(page.getByTestId('assistant-message').getByTestId('meta-route')).toHaveText('via steady#0 · echo/mock-1');
  await expect(page.getByTestId('assistant-message').getByTestId('meta-fallbacks')).toContainText('broken/mock-1: server');
});
