import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Locator, type Page, expect, test } from '@playwright/test';
import { STARTER_MODEL } from '../src/core/downloads/starter-model';
import { writeTestModel } from '../src/core/models/test-model';
import { type FakeHubRepo, startFakeHub } from '../test/hub/fake-hub';
import { defaultOllamaWireRegistry, startOllamaWire } from '../test/wire/ollama-wire';
import { appUrl } from './support/app';
import { HUB_FILE, HUB_MODEL_ID, HUB_REPO } from './support/fixture-models';
import { HUB_URL_ENV } from './support/global-setup';
import { startE2eServer } from './support/switchboard-server';

/** The progress bar's value, 0–100 (aria-valuenow). */
async function percent(bar: Locator): Promise<number> {
  return Number((await bar.getAttribute('aria-valuenow')) ?? 'NaN');
}

async function searchHub(page: Page, query: string): Promise<Locator> {
  await page.getByTestId('hub-query').fill(query);
  await page.getByTestId('hub-search-submit').click();
  const repo = page.locator(`[data-testid="hub-repo"][data-repo="${HUB_REPO}"]`);
  await expect(repo).toBeVisible();
  return repo;
}

test('search the hub, download a file, watch it, pause, resume, and find it in the library', async ({ page }) => {
  test.skip(!process.env[HUB_URL_ENV], 'needs the fake hub global setup starts (not a server started by hand)');
  test.setTimeout(120_000);
  await page.goto(`${appUrl()}#models`);

  // search: the repo with its quant files, sizes and a fit badge
  const repo = await searchHub(page, 'tiny');
  await expect(page.getByTestId('hub-url')).toHaveText(process.env[HUB_URL_ENV] as string);
  const file = repo.locator(`[data-testid="hub-file"][data-file="${HUB_FILE}"]`);
  await expect(file).toContainText('Q8_0');
  await expect(file).toContainText(/\d+ KB/);
  await expect(file.getByTestId('hub-fit')).toBeVisible();

  await file.getByTestId('hub-download').click();
  await expect(file.getByTestId('hub-file-job')).toBeVisible();

  // the download manager: the bar moves
  await page.getByTestId('nav-downloads').click();
  const item = page.getByTestId('download-item').filter({ hasText: HUB_FILE });
  const bar = item.getByRole('progressbar');
  await expect(item).toHaveAttribute('data-state', 'running');
  await expect.poll(() => percent(bar), { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await percent(bar);
  await expect.poll(() => percent(bar), { timeout: 20_000 }).toBeGreaterThan(first);
  await expect(item.getByTestId('download-speed')).toHaveText(/\/s$/);
  await expect(item.getByTestId('download-eta')).toHaveText(/left|unknown/);
  await expect(item.getByTestId('download-bytes')).toHaveText(/ of \d+ KB/);
  expect(await percent(bar)).toBeLessThan(100);

  // pause: it stops where it is
  await item.getByTestId('download-pause').click();
  await expect(item).toHaveAttribute('data-state', 'paused');
  const paused = await percent(bar);
  expect(paused).toBeLessThan(100);
  await page.waitForTimeout(1_500);
  expect(await percent(bar)).toBe(paused);
  await expect(item.getByTestId('download-resume')).toBeEnabled();

  // resume: it goes on from there (HTTP Range), to the end
  await item.getByTestId('download-resume').click();
  await expect(item).not.toHaveAttribute('data-state', 'paused');
  expect(await percent(bar), 'a resumed download goes on from its partial bytes').toBeGreaterThanOrEqual(paused);
  await expect(item).toHaveAttribute('data-state', 'completed', { timeout: 60_000 });
  expect(await percent(bar)).toBe(100);
  await expect(item.getByTestId('download-dest')).toContainText(HUB_FILE);
  await expect(item.getByTestId('download-error')).toHaveCount(0);

  // the library has it, and the hub result says so
  await page.getByTestId('nav-models').click();
  const row = page.locator(`[data-testid="local-model-row"][data-model-id="${HUB_MODEL_ID}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('local-model-error')).toHaveCount(0);
  await expect(page.locator(`[data-testid="hub-file"][data-file="${HUB_FILE}"]`).getByTestId('hub-file-present')).toBeVisible();
  // …and the chat's model picker offers it
  await page.getByTestId('nav-chat').click();
  await expect(page.getByTestId('model-picker').locator(`option[value="${HUB_MODEL_ID}"]`)).toBeEnabled();

  // delete it again, after a confirmation (Cancel keeps it)
  await page.getByTestId('nav-models').click();
  await row.getByTestId('local-model-delete').click();
  const dialog = page.getByTestId('confirm-delete');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(HUB_FILE);
  await dialog.getByTestId('confirm-delete-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toBeVisible();
  await row.getByTestId('local-model-delete').click();
  await page.getByTestId('confirm-delete-ok').click();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('library-notice')).toContainText(`Deleted`);
  await expect(page.locator(`[data-testid="hub-file"][data-file="${HUB_FILE}"]`).getByTestId('hub-download')).toBeVisible();

  // the finished job leaves the list when dismissed
  await page.getByTestId('nav-downloads').click();
  await item.getByTestId('download-dismiss').click();
  await expect(item).toHaveCount(0);
});

test('a hub search that finds nothing says so', async ({ page }) => {
  test.skip(!process.env[HUB_URL_ENV], 'needs the fake hub global setup starts');
  await page.goto(`${appUrl()}#models`);
  await page.getByTestId('hub-query').fill('no-such-model-anywhere');
  await page.getByTestId('hub-search-submit').click();
  await expect(page.getByTestId('hub-no-results')).toContainText('no-such-model-anywhere');
});

/** A serve of its own over a fresh data dir, and a fake hub of its own the test can change. */
async function privateHub(repos: (dir: string) => Promise<FakeHubRepo[]>, options: { fixtureModels?: boolean; config?: string } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-private-hub-'));
  const hub = await startFakeHub({ repos: await repos(dir), bytesPerSecond: 300_000 });
  const server = await startE2eServer({
    fixtureModels: options.fixtureModels ?? true,
    env: { HF_ENDPOINT: hub.url },
    ...(options.config !== undefined && { config: options.config }),
  }).catch(async (error: unknown) => {
    await hub.close();
    throw error;
  });
  return {
    dir,
    hub,
    url: server.url,
    async stop() {
      await server.stop();
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

test('a download that fails says why and offers Retry, which then succeeds', async ({ page }) => {
  test.setTimeout(120_000);
  const repo = 'switchboard-test/retry-GGUF';
  const path = 'retry-Q8_0.gguf';
  let source = '';
  const env = await privateHub(async (dir) => {
    source = (await writeTestModel(join(dir, 'retry.gguf'), { preset: 'tiny', seed: 6 })).path;
    // the hub advertises a wrong sha256 at first: the download must be refused, and its file not kept
    return [{ id: repo, files: [{ path, source, sha256: 'f'.repeat(64) }] }];
  });
  try {
    await page.goto(`${env.url}#models`);
    await page.getByTestId('hub-query').fill('retry');
    await page.getByTestId('hub-search-submit').click();
    await page.locator(`[data-testid="hub-file"][data-file="${path}"]`).getByTestId('hub-download').click();
    await page.getByTestId('nav-downloads').click();

    const item = page.getByTestId('download-item').filter({ hasText: path });
    await expect(item).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
    await expect(item.getByTestId('download-error')).toHaveAttribute('data-code', 'checksum');
    await expect(item.getByTestId('download-error')).toContainText('sha256');
    await expect(item.getByTestId('download-pause')).toHaveCount(0);

    // the hub is fixed; Retry fetches it again, and this time it is verified and kept
    await env.hub.addRepo({ id: repo, files: [{ path, source }] });
    await item.getByTestId('download-retry').click();
    await expect(item).toHaveAttribute('data-state', 'completed', { timeout: 60_000 });
    await expect(item.getByTestId('download-error')).toHaveCount(0);
    await page.getByTestId('nav-models').click();
    await expect(page.locator('[data-testid="local-model-row"][data-model-id="local/retry-Q8_0"]')).toBeVisible();
  } finally {
    await env.stop();
  }
});

test('first run (no model, no provider): one click on the onboarding card downloads the starter model', async ({ page }) => {
  test.setTimeout(120_000);
  // a fresh data dir, and a hub whose starter repo serves a generated tiny model under the real file name
  const env = await privateHub(
    async (dir) => [{ id: STARTER_MODEL.repo, files: [{ path: STARTER_MODEL.file, source: (await writeTestModel(join(dir, 'starter.gguf'), { preset: 'tiny', seed: 5 })).path }] }],
    { fixtureModels: false },
  );
  try {
    await page.goto(`${env.url}#models`);
    const card = page.getByTestId('onboarding');
    await expect(card).toContainText(STARTER_MODEL.title);
    await card.getByTestId('onboarding-download').click();
    await expect(card.getByTestId('onboarding-progress')).toBeVisible();

    // once it is in the library, the card has done its job
    const id = `local/${STARTER_MODEL.file.replace(/\.gguf$/, '')}`;
    await expect(page.locator(`[data-testid="local-model-row"][data-model-id="${id}"]`)).toBeVisible({ timeout: 60_000 });
    await expect(card).toHaveCount(0);
    await page.getByTestId('nav-chat').click();
    await expect(page.getByTestId('model-picker')).toHaveValue(id);
  } finally {
    await env.stop();
  }
});

test('Ollama pulls run in the same download manager, and the pulled model joins the list', async ({ page }) => {
  test.setTimeout(120_000);
  const ollama = await startOllamaWire({ registry: defaultOllamaWireRegistry(), pullSteps: 8, pullStepDelayMs: 150 });
  const env = await privateHub(async () => [], { config: `providers:\n  ollama: { type: ollama, baseURL: ${ollama.baseURL} }\n` }).catch(async (error: unknown) => {
    await ollama.close();
    throw error;
  });
  try {
    await page.goto(`${env.url}#models`);
    const pulled = page.locator('[data-testid="provider-model-row"][data-model-id="ollama/qwen2.5:0.5b"]');
    await expect(page.locator('[data-testid="provider-model-row"][data-provider="ollama"]').first()).toBeVisible();
    await expect(pulled).toHaveCount(0);

    const form = page.getByTestId('ollama-pull');
    await form.getByTestId('ollama-model').fill('qwen2.5:0.5b');
    await form.getByTestId('ollama-pull-submit').click();
    await expect(form.getByTestId('ollama-pull-outcome')).toContainText('Pulling qwen2.5:0.5b');

    await page.getByTestId('nav-downloads').click();
    const item = page.getByTestId('download-item').filter({ hasText: 'qwen2.5:0.5b' });
    await expect(item).toContainText('Ollama');
    await expect(item).toHaveAttribute('data-state', 'completed', { timeout: 60_000 });

    // the host keeps Ollama's list for a minute; a finished pull asks past that
    await page.getByTestId('nav-models').click();
    await expect(pulled).toBeVisible();

    // a model Ollama's registry doesn't have fails with Ollama's reason, and can be retried
    await form.getByTestId('ollama-model').fill('no-such-model:1b');
    await form.getByTestId('ollama-pull-submit').click();
    await page.getByTestId('nav-downloads').click();
    const missing = page.getByTestId('download-item').filter({ hasText: 'no-such-model:1b' });
    await expect(missing).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
    await expect(missing.getByTestId('download-error')).toHaveAttribute('data-code', 'not_found');
    await expect(missing.getByTestId('download-error')).toContainText('Ollama');
    await expect(missing.getByTestId('download-retry')).toBeVisible();
  } finally {
    await env.stop();
    await ollama.close();
  }
});
