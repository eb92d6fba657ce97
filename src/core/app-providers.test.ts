import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PresetsWire, startPresetsWire } from '../../test/wire/openai-presets-wire';
import { startOpenAIWire } from '../../test/wire/openai-wire';
import type { WireServer } from '../../test/wire/scenario';
import { type ProvidersList } from '../shared/contract';
import { type ModelsList, type UsageSummary } from '../shared/domain';
import { type Core, createCore } from './app';
import { runChat } from './testing/run-chat';

/** The core with a switchboard.yaml whose providers point at wire servers: chat goes through the registry. */
let dir: string;
let core: Core;
let openai: WireServer;
let presets: PresetsWire;
const FAKE_KEY = 'sk-test-CORE-abcdefghijklmnop9876';

const configText = (extra = '') => `
providers:
  wire: { type: openai, baseURL: \${OPENAI_WIRE}, apiKey: \${WIRE_KEY} }
  router: { type: openrouter, baseURL: "\${PRESETS_WIRE}/api/v1", apiKey: sk-or-core-test-00001111 }
${extra}`;

beforeAll(async () => {
  [openai, presets] = await Promise.all([startOpenAIWire(), startPresetsWire()]);
  dir = mkdtempSync(join(tmpdir(), 'sb-core-providers-'));
  writeFileSync(join(dir, 'switchboard.yaml'), configText());
  core = await createCore({
    dataDir: dir,
    engineOptions: { threads: 1 },
    env: { OPENAI_WIRE: openai.baseURL, PRESETS_WIRE: presets.origin, WIRE_KEY: FAKE_KEY },
  });
});
afterAll(async () => {
  await core?.dispose();
  await Promise.all([openai?.close(), presets?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const send = (input: unknown) => runChat(core.dispatcher, input);

async function request<T>(route: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatcher.request(route, input, 'test');
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

/** Waits for the watcher to pick a file change up; no timing is asserted. */
async function until<T>(read: () => Promise<T>, test: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('core with configured providers', () => {
  it('sends provider/model refs through the registry and records provider, model and cost', async () => {
    openai.enqueue({ text: ['Hi', ' there'], usage: { input: 1_000_000, output: 0 } });
    const { chunks, error } = await send({ model: 'wire/gpt-4o-mini', text: 'hello' });
    expect(error).toBeUndefined();
    expect(chunks[0]).toMatchObject({ type: 'chat-start', model: 'wire/gpt-4o-mini' });
    expect(chunks.filter((c) => c.type === 'text-delta').map((c) => (c as { delta: string }).delta).join('')).toBe('Hi there');
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop' } });
    expect(openai.requests.at(-1)?.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);

    const summary = await request<UsageSummary>('usage.summary');
    const row = summary.byModel.find((m) => m.provider === 'wire');
    expect(row).toMatchObject({ provider: 'wire', model: 'gpt-4o-mini', calls: 1, inputTokens: 1_000_000 });
    // One million input tokens of gpt-4o-mini at the catalog's price.
    expect(row?.costUsd).toBeGreaterThan(0);
  });

  it('records the cost OpenRouter reports', async () => {
    presets.enqueue({ text: ['ok'], usage: { input: 10, output: 1, costUsd: 0.0123 } });
    const { error } = await send({ model: 'router/openai/gpt-4o-mini', text: 'hello' });
    expect(error).toBeUndefined();
    expect(presets.requests.at(-1)?.body).toMatchObject({ model: 'openai/gpt-4o-mini', usage: { include: true } });
    const summary = await request<UsageSummary>('usage.summary');
    expect(summary.byModel.find((m) => m.provider === 'router')).toMatchObject({ model: 'openai/gpt-4o-mini', costUsd: 0.0123 });
  });

  it('refuses an unknown provider with NOT_FOUND naming the configured ones', async () => {
    const { error, chunks } = await send({ model: 'opnai/gpt-4o', text: 'hello' });
    expect(chunks).toEqual([]);
    expect(error?.code).toBe('NOT_FOUND');
    expect(error?.message).toContain('configured providers: local, wire, router');
  });

  it('keeps local refs on the local library', async () => {
    const { error } = await send({ model: 'local/none', text: 'hello' });
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect(error?.message).toMatch(/unknown model "local\/none"/);
  });

  it('lists the selectable models of every provider through the contract, local first', async () => {
    const list = await request<ModelsList>('models.list');
    expect(list.providers.map((g) => g.provider)).toEqual(['local', 'wire', 'router']);
    const wire = list.providers[1];
    expect(wire).toMatchObject({ providerType: 'openai', source: 'live', error: null });
    expect(wire?.models.map((m) => m.ref)).toContain('wire/gpt-4o-mini');
    expect(list.providers[2]?.models.map((m) => m.ref)).toContain('router/openai/gpt-4o-mini');
    // the existing route still answers as before
    expect(await request<unknown[]>('models.local.list')).toEqual([]);
  });

  it('lists providers with masked keys, and reloads the config: a bad edit keeps the last good one', async () => {
    const first = await request<ProvidersList>('providers.list');
    expect(first.providers.map((p) => p.name)).toEqual(['local', 'wire', 'router']);
    expect(first.providers[1]).toMatchObject({ type: 'openai', keySet: true, keySource: 'config', keyHint: 'sk-…9876', baseURL: openai.baseURL });
    expect(first.config).toEqual({ path: join(dir, 'switchboard.yaml'), errors: null });
    expect(JSON.stringify(first)).not.toContain(FAKE_KEY);

    writeFileSync(join(dir, 'switchboard.yaml'), configText('  broken: { type: openai, baseURL: nope }'));
    const bad = await until(() => request<ProvidersList>('providers.list'), (l) => l.config.errors !== null);
    expect(bad.config.errors).toEqual([{ path: 'providers.broken.baseURL', message: 'expected a URL (http:// or https://)' }]);
    expect(bad.providers.map((p) => p.name)).toEqual(['local', 'wire', 'router']);

    const events: string[] = [];
    const unsubscribe = core.onEvent((name) => events.push(name));
    writeFileSync(join(dir, 'switchboard.yaml'), configText(`  lab: { type: openai-compatible, baseURL: "${presets.origin}/v1" }`));
    const good = await until(() => request<ProvidersList>('providers.list'), (l) => l.config.errors === null);
    unsubscribe();
    // the hosts push it to their pages, which list the models again
    expect(events).toContain('config.changed');
    expect((await request<ModelsList>('models.list')).providers.map((g) => g.provider)).toEqual(['local', 'wire', 'router', 'lab']);
    expect(good.providers.map((p) => p.name)).toEqual(['local', 'wire', 'router', 'lab']);
    const { error } = await send({ model: 'lab/qwen', text: 'hi' });
    expect(error).toBeUndefined();
  });

  it('tests providers through the contract', async () => {
    const results = await request<Array<{ name: string; ok: boolean }>>('providers.test', { name: 'wire' });
    expect(results).toMatchObject([{ name: 'wire', ok: true }]);
    const missing = await core.dispatcher.request('providers.test', { name: 'nope' }, 'test');
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
