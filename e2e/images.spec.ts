import { type Page, expect, test } from '@playwright/test';
import { encodePng } from '../test/images/encode-png';
import { startOpenAIWire } from '../test/wire/openai-wire';
import type { WireServer } from '../test/wire/scenario';
import { answerText, pickModel } from './support/app';
import { TINY_MODEL_ID } from './support/fixture-models';
import { type E2eServer, startE2eServer } from './support/switchboard-server';

/**
 * Images end to end: a real `switchboard serve` whose `wire` provider is the OpenAI wire server,
 * so the test reads the request body a vision model would have received.
 */
const VISION_MODEL = 'wire/gpt-4o';

let wire: WireServer;
let server: E2eServer;

test.beforeAll(async () => {
  wire = await startOpenAIWire();
  server = await startE2eServer({
    config: `providers:\n  wire: { type: openai, baseURL: "${wire.baseURL}", apiKey: sk-e2e-images-0000 }\n`,
  });
});
test.afterAll(async () => {
  await server?.stop();
  await wire?.close();
});

async function open(page: Page) {
  await page.goto(server.url);
  await expect(page.getByTestId('composer')).toBeVisible();
}

/** Drops a file on the composer (or `target`) as the OS would: a DataTransfer holding a File. */
async function dropFile(page: Page, name: string, bytes: Buffer, type: string, target = page.getByTestId('composer-form')) {
  // (A string: this project's node tsconfig has no DOM types.)
  const dataTransfer = await page.evaluateHandle(`(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(bytes.toString('base64'))}), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], ${JSON.stringify(name)}, { type: ${JSON.stringify(type)} }));
    return transfer;
  })()`);
  await target.dispatchEvent('drop', { dataTransfer });
}

/** The image_url parts of the last user message the wire server received. */
function imagesInLastRequest(): string[] {
  const body = wire.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body as
    | { messages: { role: string; content: unknown }[] }
    | undefined;
  const user = body?.messages.filter((m) => m.role === 'user').at(-1);
  if (user === undefined || !Array.isArray(user.content)) return [];
  return (user.content as { type: string; image_url?: { url: string } }[]).filter((p) => p.type === 'image_url').map((p) => p.image_url!.url);
}

/** Width and height from a PNG's IHDR. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

test('a dropped PNG goes to a vision model in the request body, and the conversation keeps showing it', async ({ page }) => {
  await open(page);
  await pickModel(page, VISION_MODEL);
  const png = encodePng(64, 48);
  await dropFile(page, 'chart.png', png, 'image/png');
  const draft = page.getByTestId('draft-attachment');
  await expect(draft).toHaveAttribute('data-status', 'ready');
  await expect(draft.locator('img')).toHaveJSProperty('naturalWidth', 64);
  await expect(page.getByTestId('vision-warning')).toHaveCount(0);

  wire.enqueue({ text: ['A small', ' gradient.'] });
  await page.getByTestId('composer').fill('What is in this image?');
  await page.getByTestId('send').click();
  const answer = page.getByTestId('assistant-message').last();
  await expect(answer).toHaveAttribute('data-status', 'complete');
  await expect(answerText(answer)).toHaveText('A small gradient.');
  await expect(page.getByTestId('draft-attachment')).toHaveCount(0);

  expect(imagesInLastRequest()).toEqual([`data:image/png;base64,${png.toString('base64')}`]);
  const question = page.getByTestId('user-message').last();
  await expect(question.getByTestId('message-image')).toHaveJSProperty('naturalWidth', 64);

  // Reloaded, the stored message still shows its image, fetched from the data dir.
  await page.reload();
  await page.getByTestId('conversation-item').first().click();
  await expect(page.getByTestId('user-message').getByTestId('message-image')).toHaveJSProperty('naturalWidth', 64);
});

test('a large image is downscaled before it is sent: longest side 2048', async ({ page }) => {
  await open(page);
  await pickModel(page, VISION_MODEL);
  // Flat colour bands compress well: a 3000×1200 PNG of a few KB, too wide to send as it is.
  const wide = encodePng(3000, 1200, (x) => (x < 1500 ? [200, 40, 40, 255] : [40, 40, 200, 255]));
  await dropFile(page, 'wide.png', wide, 'image/png');
  await expect(page.getByTestId('draft-attachment')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('attachment-note')).toContainText('downscaled from 3000×1200');

  wire.enqueue({ text: ['Two bands.'] });
  await page.getByTestId('composer').fill('Describe it');
  await page.getByTestId('send').click();
  await expect(page.getByTestId('assistant-message').last()).toHaveAttribute('data-status', 'complete');
  const [sent] = imagesInLastRequest();
  expect(sent).toMatch(/^data:image\/png;base64,/);
  expect(pngSize(Buffer.from(sent!.split(',')[1]!, 'base64'))).toEqual({ width: 2048, height: 819 });
});

test('a text file renamed .png is refused with a clear message, and never sent', async ({ page }) => {
  await open(page);
  await pickModel(page, VISION_MODEL);
  const requestsBefore = wire.requests.length;
  await dropFile(page, 'notes.png', Buffer.from('These are my meeting notes, not a picture.\n'), 'image/png');
  const refusal = page.getByTestId('attachment-error');
  await expect(refusal).toContainText('notes.png is not an image Switchboard can send: its contents are not PNG, JPEG, GIF or WebP');
  await expect(page.getByTestId('draft-attachment')).toHaveCount(0);
  await expect(page.getByTestId('send')).toBeDisabled(); // nothing to send: no text, no image
  await refusal.getByTestId('remove-attachment').click();
  await expect(refusal).toHaveCount(0);
  expect(wire.requests.length).toBe(requestsBefore);
});

test('a model without vision is said so before sending, and a vision model is one click away', async ({ page }) => {
  await open(page);
  await pickModel(page, TINY_MODEL_ID);
  // dropped anywhere on the chat, not only on the composer
  await dropFile(page, 'photo.png', encodePng(8, 8), 'image/png', page.getByRole('region', { name: 'Chat' }));
  await expect(page.getByTestId('draft-attachment')).toHaveAttribute('data-status', 'ready');
  await page.getByTestId('composer').fill('What is this?');

  const warning = page.getByTestId('vision-warning');
  await expect(warning).toHaveAttribute('data-kind', 'no-vision');
  await expect(warning).toContainText('can’t see images');
  await expect(page.getByTestId('send')).toBeDisabled(); // held, not dropped
  const offer = page.getByTestId('use-vision-model');
  const offered = await offer.getAttribute('data-model-id');
  expect(offered).toMatch(/^wire\//);
  await offer.click();
  await expect(page.getByTestId('model-picker')).toHaveValue(offered!);
  await expect(warning).toHaveCount(0);
  await expect(page.getByTestId('send')).toBeEnabled();
  await expect(page.getByTestId('draft-attachment')).toHaveCount(1); // the image is still there
});
