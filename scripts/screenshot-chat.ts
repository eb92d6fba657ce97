// The chat screenshot for the README: docs/chat.png at 1280×800. Everything is local: `switchboard
// serve` over a throwaway data dir, and a group whose first deployment (a mock) is rate limited, so
// the answer comes from its fallback, the OpenAI wire server of test/wire as a vision model.
//
//   npm run build:renderer && npx tsx scripts/screenshot-chat.ts
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Page, chromium } from 'playwright-core';
import { BROKEN_MODEL_FILE } from '../e2e/support/fixture-models';
import { startE2eServer } from '../e2e/support/switchboard-server';
import { encodePng } from '../test/images/encode-png';
import { startOpenAIWire } from '../test/wire/openai-wire';

const DOCS = resolve(import.meta.dirname, '../docs');
const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';

const ANSWER = [
  'The chart is a **horizontal gradient**: red on the left fading to blue on the right, with a lighter band across the middle.\n\n',
  'To draw one like it:\n\n',
  '```python\nimport numpy as np\nimport matplotlib.pyplot as plt\n\n',
  'x = np.linspace(0, 1, 320)\ngradient = np.vstack([x] * 200)\n',
  'plt.imshow(gradient, cmap="coolwarm", aspect="auto")\nplt.axis("off")\nplt.show()\n```\n',
];

async function drop(page: Page, name: string, bytes: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(`(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(bytes.toString('base64'))}), (c) => c.charCodeAt(0));
    const t = new DataTransfer();
    t.items.add(new File([bytes], ${JSON.stringify(name)}, { type: 'image/png' }));
    return t;
  })()`);
  await page.getByTestId('composer-form').dispatchEvent('drop', { dataTransfer: transfer });
  await page.locator('[data-testid="draft-attachment"][data-status="ready"]').waitFor();
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
  await page.waitForTimeout(300);
  const answer = page.getByTestId('assistant-message').last();
  for (let i = 0; i < 200 && (await answer.getAttribute('data-status')) !== 'complete'; i++) await page.waitForTimeout(100);
}

async function main(): Promise<void> {
  const openai = await startOpenAIWire();
  const config = `providers:
  openai: { type: openai, apiKey: sk-screenshot-0000, baseURL: "${openai.baseURL}" }
  flaky: { type: mock, fault: { kind: rate_limit, message: "slow down" } }
groups:
  vision: { deployments: [{ provider: flaky, model: mock-1 }], fallbacks: [eyes] }
  eyes: { deployments: [{ provider: openai, model: gpt-4o }] }
`;
  const server = await startE2eServer({ config });
  // e2e's data dir has a corrupt model for its own tests; not for this picture
  await rm(join(server.dataDir, 'models', BROKEN_MODEL_FILE), { force: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await page.goto(server.url);
    await page.getByTestId('composer').waitFor();

    await page.getByTestId('model-picker').selectOption('vision');
    const chart = encodePng(320, 200, (x, y) => {
      const band = Math.abs(y - 100) < 20 ? 60 : 0;
      return [Math.min(255, 230 - Math.round((x / 320) * 190) + band), 70 + band, Math.min(255, 40 + Math.round((x / 320) * 190) + band), 255];
    });
    await drop(page, 'chart.png', chart);
    openai.enqueue({ text: ANSWER, usage: { input: 1_312, output: 96 } });
    await send(page, 'What does this chart show? And how would I plot one like it?');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(DOCS, 'chat.png') });
  } finally {
    await browser.close();
    await server.stop();
    await openai.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
