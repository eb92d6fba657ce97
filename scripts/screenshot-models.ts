// Screenshots of the Models and Downloads pages for the README: docs/models.png, docs/models-hub.png
// and docs/downloads.png, at 1280×800. Everything is local: `switchboard serve` over a throwaway data
// dir (generated test models and a corrupt file), OpenAI, Anthropic and Ollama wire servers from
// test/wire as configured providers, and the fake Hugging Face hub of test/hub serving generated
// GGUF repos (one with a wrong sha256, so a download fails its checksum).
//
//   npm run build:renderer && npx tsx scripts/screenshot-models.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Locator, type Page, chromium } from 'playwright-core';
import { startE2eServer } from '../e2e/support/switchboard-server';
import { writeTestModel } from '../src/core/models/test-model';
import { startFakeHub, testModelRepos } from '../test/hub/fake-hub';
import { startAnthropicWire } from '../test/wire/anthropic-wire';
import { startOllamaWire } from '../test/wire/ollama-wire';
import { startOpenAIWire } from '../test/wire/openai-wire';

const DOCS = resolve(import.meta.dirname, '../docs');
const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'switchboard-shots-'));
  const openai = await startOpenAIWire();
  const claude = await startAnthropicWire();
  const ollama = await startOllamaWire();
  const repos = await testModelRepos(join(scratch, 'hub'));
  const bad = await writeTestModel(join(scratch, 'hub', 'bad.gguf'), { preset: 'tiny', seed: 9 });
  repos.push({ id: 'switchboard-test/bad-checksum-GGUF', downloads: 3, likes: 0, files: [{ path: 'tiny-Q4_K_M.gguf', source: bad.path, sha256: '0'.repeat(64) }] });
  const hub = await startFakeHub({ repos, bytesPerSecond: 400_000 });
  const config = `providers:
  openai: { type: openai, apiKey: sk-screenshot-0000, baseURL: ${openai.baseURL} }
  claude: { type: anthropic, apiKey: sk-ant-screenshot-0000, baseURL: ${claude.baseURL} }
  ollama: { type: ollama, baseURL: ${ollama.baseURL} }
`;
  const server = await startE2eServer({ config, env: { HF_ENDPOINT: hub.url } });
  await writeTestModel(join(server.dataDir, 'models', 'small-llama-test.gguf'), { preset: 'small', seed: 4 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await page.goto(`${server.url}#models`);
    await page.getByTestId('provider-model-row').first().waitFor();
    await page.getByTestId('local-model-row').first().waitFor();
    // the fit estimates come from the engine process, which may take a moment to start
    await page.getByText('estimating…').first().waitFor({ state: 'detached', timeout: 60_000 });
    await page.getByRole('heading', { name: 'Your models' }).scrollIntoViewIfNeeded();
    await page.evaluate('document.querySelector(".page").scrollTop = document.querySelector(".models-page__subtitle").offsetTop - 16');
    await page.screenshot({ path: join(DOCS, 'models.png') });

    await page.evaluate('document.querySelector(".page").scrollTop = 0');
    await page.getByTestId('hub-query').fill('switchboard-test');
    await page.getByTestId('hub-search-submit').click();
    await page.getByTestId('hub-repo').first().waitFor();
    await page.screenshot({ path: join(DOCS, 'models-hub.png') });

    await downloads(page, hub);
    await page.screenshot({ path: join(DOCS, 'downloads.png') });
  } finally {
    await browser.close();
    await server.stop();
    await hub.close();
    await Promise.all([openai.close(), claude.close(), ollama.close()]);
    await rm(scratch, { recursive: true, force: true });
  }
}

/** One job of each kind: done, failed its checksum, paused part-way, and one still running. */
async function downloads(page: Page, hub: { setBytesPerSecond(n: number | undefined): void }): Promise<void> {
  const file = (repo: string, path: string) => page.locator(`[data-testid="hub-repo"][data-repo="${repo}"] [data-testid="hub-file"][data-file="${path}"]`);
  const item = (title: string) => page.getByTestId('download-item').filter({ hasText: title });
  const go = async (where: 'models' | 'downloads') => page.getByTestId(`nav-${where}`).click();

  await file('switchboard-test/tiny-GGUF', 'tiny-Q8_0.gguf').getByTestId('hub-download').click();
  await file('switchboard-test/bad-checksum-GGUF', 'tiny-Q4_K_M.gguf').getByTestId('hub-download').click();
  await go('downloads');
  await item('tiny-Q8_0.gguf').and(page.locator('[data-state="completed"]')).waitFor({ timeout: 60_000 });
  await item('tiny-Q4_K_M.gguf').and(page.locator('[data-state="failed"]')).waitFor({ timeout: 60_000 });

  hub.setBytesPerSecond(150_000);
  await go('models');
  await file('switchboard-test/tiny-GGUF', 'tiny-F32.gguf').getByTestId('hub-download').click();
  await go('downloads');
  const paused = item('tiny-F32.gguf');
  await reaches(paused, 40);
  await paused.getByTestId('download-pause').click();
  await paused.and(page.locator('[data-state="paused"]')).waitFor();

  hub.setBytesPerSecond(2_000_000);
  await go('models');
  await file('switchboard-test/small-GGUF', 'small-F16.gguf').getByTestId('hub-download').click();
  await go('downloads');
  await reaches(item('small-F16.gguf'), 30);
  hub.setBytesPerSecond(1_000_000); // so speed and time left read as a real download would
  await page.waitForTimeout(1_500);
}

/** Waits until a job's progress bar shows at least `min` percent (the page's CSP forbids string predicates). */
async function reaches(job: Locator, min: number, timeoutMs = 30_000): Promise<void> {
  const bar = job.getByRole('progressbar');
  const deadline = Date.now() + timeoutMs;
  while (Number((await bar.getAttribute('aria-valuenow')) ?? 0) < min) {
    if (Date.now() > deadline) throw new Error(`a download stayed under ${min}% for ${timeoutMs / 1000} s`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
