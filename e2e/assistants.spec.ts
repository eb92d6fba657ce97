import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { startOpenAIWire } from '../test/wire/openai-wire';
import type { WireServer } from '../test/wire/scenario';
import { answerText, sendMessage } from './support/app';
import { type E2eServer, startE2eServer } from './support/switchboard-server';

/**
 * Assistants end to end, against its own `switchboard serve` whose `wire` provider is the OpenAI
 * wire server: one is created in Settings (written to switchboard.yaml with the user's comments
 * kept), a bad one is refused naming its field, a chat started with it sends its system prompt
 * first and its temperature, and once deleted its conversation keeps working and says it is gone.
 */
const CONFIG_HEAD = `# hand-written: this comment must survive the assistants editor
providers:
  wire: { type: openai, baseURL: "BASE", apiKey: sk-e2e-assistants-0000 }
groups:
  fast:
    deployments: [{ provider: wire, model: gpt-4o-mini }]
`;
const PROMPT = 'You review code.\nAnswer in one sentence.';

test.describe.configure({ mode: 'serial' });

let server: E2eServer;
let wire: WireServer;

test.beforeAll(async () => {
  wire = await startOpenAIWire();
  server = await startE2eServer({ config: CONFIG_HEAD.replace('BASE', wire.baseURL) });
});
test.afterAll(async () => {
  await server?.stop();
  await wire?.close();
});

const yaml = () => readFile(join(server.dataDir, 'switchboard.yaml'), 'utf8');

interface ChatBody {
  model: string;
  temperature?: number;
  messages: { role: string; content: unknown }[];
}
const lastChat = () => wire.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body as ChatBody | undefined;

async function open(page: Page) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);
  await expect(page.getByTestId('composer')).toBeVisible();
}

test('create an assistant in settings, start a chat with it, the wire server sees its prompt; deleted, the chat goes on', async ({ page }) => {
  await open(page);
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('settings-assistants');
  await expect(section).toBeVisible();

  // A bad temperature is refused by the host, under the field it names; nothing is written.
  await section.getByTestId('assistant-add').click();
  let form = section.getByTestId('assistant-form');
  await form.getByTestId('assistant-name').fill('Too hot');
  await form.getByTestId('assistant-model').fill('fast');
  await form.getByTestId('assistant-temperature').fill('3');
  await form.getByTestId('assistant-save').click();
  await expect(form.getByTestId('assistant-field-error')).toHaveText('the change was not saved: assistants[0].temperature: 3 is out of range: expected 0 to 2');
  // An unknown model too.
  await form.getByTestId('assistant-temperature').fill('0.3');
  await form.getByTestId('assistant-model').fill('nowhere');
  await form.getByTestId('assistant-save').click();
  await expect(form.getByTestId('assistant-field-error')).toContainText('assistants[0].model: unknown model "nowhere"');
  expect(await yaml()).not.toContain('assistants:');

  // The real one.
  await form.getByTestId('assistant-name').fill('Reviewer');
  await form.getByTestId('assistant-model').fill('fast');
  await form.getByTestId('assistant-system').fill(PROMPT);
  await form.getByTestId('assistant-save').click();
  await expect(form).toHaveCount(0);
  const row = section.locator('[data-testid="assistant-row"][data-name="Reviewer"]');
  await expect(row).toContainText('fast · temperature 0.3');
  const written = await yaml();
  expect(written).toContain('# hand-written: this comment must survive the assistants editor');
  expect(written).toContain('assistants:\n  - name: Reviewer\n    model: fast\n    system: |-\n      You review code.\n      Answer in one sentence.\n    temperature: 0.3\n');

  // A second one with the same name (ignoring case) is refused, naming the field.
  await section.getByTestId('assistant-add').click();
  form = section.getByTestId('assistant-form');
  await form.getByTestId('assistant-name').fill('reviewer');
  await form.getByTestId('assistant-model').fill('fast');
  await form.getByTestId('assistant-save').click();
  await expect(form.getByTestId('assistant-field-error')).toContainText('assistants[1].name: another assistant (assistants[0]) is already named "reviewer"');
  await form.getByRole('button', { name: 'Cancel' }).click();

  // A new chat with it: the model picker follows the assistant.
  await page.getByTestId('nav-chat').click();
  const picker = page.getByTestId('assistant-picker');
  await picker.selectOption('Reviewer');
  await expect(page.getByTestId('model-picker')).toHaveValue('fast');
  await expect(page.getByTestId('assistant-prompt')).toContainText('You review code.');

  wire.enqueue({ text: ['Looks', ' fine.'] });
  const answer = await sendMessage(page, 'Is `let x = 1` fine?');
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
  await expect(answerText(answer)).toHaveText('Looks fine.');
  const body = lastChat();
  expect(body?.messages[0]).toEqual({ role: 'system', content: PROMPT });
  expect(body?.temperature).toBe(0.3);
  expect(body?.model).toBe('gpt-4o-mini');
  // The prompt is never shown as a message.
  await expect(page.getByTestId('message-text').filter({ hasText: 'You review code.' })).toHaveCount(0);

  // After a reload the conversation still shows its assistant.
  await page.reload();
  await page.getByTestId('conversation-item').first().click();
  await expect(picker).toHaveValue('Reviewer');

  // Deleted: the conversation keeps working with its model and says the assistant is gone.
  await page.getByTestId('nav-settings').click();
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByTestId('assistant-delete').click();
  await expect(row).toHaveCount(0);
  expect(await yaml()).not.toContain('Reviewer');
  await page.getByTestId('nav-chat').click();
  await expect(page.getByTestId('assistant-gone')).toContainText('“Reviewer” no longer exists');

  wire.enqueue({ text: ['Still here.'] });
  const next = await sendMessage(page, 'Anyone there?');
  await expect(next).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
  await expect(answerText(next)).toHaveText('Still here.');
  expect(lastChat()?.messages.filter((m) => m.role === 'system')).toEqual([]);
  expect(lastChat()?.model).toBe('gpt-4o-mini');
});
