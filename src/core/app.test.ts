import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConversationDetail, type LocalModelEntry, type UsageSummary } from '../shared/domain';
import { type Core, createCore } from './app';
import { runChat } from './testing/run-chat';
import { writeTestModel } from './models/test-model';
import { openStore } from './store';

let dir: string;
let core: Core;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-core-'));
  const models = join(dir, 'models');
  mkdirSync(models);
  const tiny = await writeTestModel(join(models, 'tiny.gguf'), { preset: 'tiny' });
  // A download cut off halfway: the header is whole, the weights are not.
  const bytes = readFileSync(tiny.path);
  writeFileSync(join(models, 'corrupt.gguf'), bytes.subarray(0, Math.floor(bytes.length / 2)));
  core = await createCore({ dataDir: dir, engineOptions: { threads: 1 } });
  // Start the engine process and load the model here, under the hook timeout, not in the first test.
  await core.engine.load(tiny.path);
});
afterAll(async () => {
  await core?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const stream = (c: Core, input: unknown, onChunk?: Parameters<typeof runChat>[2]) => runChat(c.dispatcher, input, onChunk);

async function request<T>(c: Core, route: string, input: unknown): Promise<T> {
  const result = await c.dispatcher.request(route, input, 'test');
  if (!result.ok) throw new Error(`${route} failed: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

describe('core, end to end', () => {
  it('streams a local reply, persists both messages and meters the call', async () => {
    const { chunks, error, start } = await stream(core, { model: 'local/tiny', text: 'Hello, model', maxOutputTokens: 8, temperature: 0 });
    expect(error).toBeUndefined();
    const deltas = chunks.filter((c) => c.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(chunks.at(-1)?.type).toBe('finish');

    const detail = await request<ConversationDetail>(core, 'conversations.get', { id: start?.conversationId });
    expect(detail.conversation).toMatchObject({ title: 'Hello, model', messageCount: 2, model: 'local/tiny' });
    expect(detail.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(detail.messages[1]?.text).toBe(deltas.map((d) => (d.type === 'text-delta' ? d.delta : '')).join(''));

    const usage = await request<UsageSummary>(core, 'usage.summary', {});
    expect(usage.totals.calls).toBe(1);
    expect(usage.totals.inputTokens).toBeGreaterThan(0);
    expect(usage.totals.outputTokens).toBeGreaterThan(0);
    expect(usage.byOutcome.success).toBe(1);
    expect(usage.byModel).toMatchObject([{ provider: 'local', model: 'local/tiny', calls: 1 }]);
  });

  it('records an aborted send as aborted', async () => {
    let aborted = false;
    const { start, error } = await stream(core, { model: 'tiny', text: 'Keep talking', maxOutputTokens: 1500 }, (chunk, abort) => {
      if (chunk.type === 'text-delta' && !aborted) {
        aborted = true;
        abort();
      }
    });
    expect(error).toBeUndefined();
    const detail = await request<ConversationDetail>(core, 'conversations.get', { id: start?.conversationId });
    expect(detail.messages[1]?.status).toBe('aborted');
    const usage = await request<UsageSummary>(core, 'usage.summary', {});
    expect(usage.byOutcome).toMatchObject({ success: 1, aborted: 1 });
  });

  it('answers an unknown model with NOT_FOUND', async () => {
    const { chunks, error } = await stream(core, { model: 'local/nope', text: 'hi' });
    expect(chunks).toEqual([]);
    expect(error?.code).toBe('NOT_FOUND');
    expect(error?.message).toContain('available: local/corrupt, local/tiny');
  });

  it('lists a corrupt model with its error, refuses it clearly and keeps working', async () => {
    const models = await request<LocalModelEntry[]>(core, 'models.local.list', {});
    const corrupt = models.find((m) => m.id === 'local/corrupt');
    expect(corrupt?.error).toMatch(/corrupt\.gguf is truncated: .*download the model again/);
    expect(models.find((m) => m.id === 'local/tiny')?.error).toBeNull();

    const refused = await stream(core, { model: 'local/corrupt', text: 'hi' });
    expect(refused.error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(refused.error?.message).toMatch(/^model "local\/corrupt" cannot be used: corrupt\.gguf is truncated/);

    const after = await stream(core, { model: 'local/tiny', text: 'Still there?', maxOutputTokens: 4 });
    expect(after.error).toBeUndefined();
    expect(after.chunks.at(-1)?.type).toBe('finish');
  });

  it('on dispose aborts chats in flight and records them; a restart finds nothing left streaming', async () => {
    const dataDir = join(dir, 'second');
    mkdirSync(join(dataDir, 'models'), { recursive: true });
    await writeTestModel(join(dataDir, 'models', 'tiny.gguf'), { preset: 'tiny' });
    const second = await createCore({ dataDir, engineOptions: { threads: 1 } });
    let disposed: Promise<void> | undefined;
    const { start } = await stream(second, { model: 'local/tiny', text: 'Long story', maxOutputTokens: 1500 }, (chunk) => {
      if (chunk.type === 'text-delta') disposed ??= second.dispose();
    });
    await disposed;
    expect(start).toBeDefined();

    const store = openStore({ path: join(dataDir, 'switchboard.db') });
    try {
      expect(store.calls.listByRequest(start?.requestId ?? '')).toMatchObject([{ outcome: 'aborted' }]);
      expect(store.messages.get(start?.assistantMessageId ?? '')?.status).toBe('aborted');
      // What a crash would leave behind: a reply still marked streaming.
      store.messages.insert({
        id: 'crashed', conversationId: start?.conversationId ?? '', role: 'assistant', text: 'half a',
        model: 'local/tiny', status: 'streaming', createdAt: 1,
      });
    } finally {
      store.close();
    }

    const third = await createCore({ dataDir });
    try {
      const detail = await request<ConversationDetail>(third, 'conversations.get', { id: start?.conversationId });
      expect(detail.messages.at(-1)).toMatchObject({ id: 'crashed', status: 'error', text: 'half a' });
      expect(detail.messages.at(-1)?.error?.message).toMatch(/^interrupted/);
    } finally {
      await third.dispose();
    }
  }, 120_000); // starts a second engine process
});

describe('warmEngine', () => {
  it('starts the engine process before any request, so the first message does not wait for it', async () => {
    const warmDir = mkdtempSync(join(tmpdir(), 'sb-warm-'));
    const logs: string[] = [];
    const warm = await createCore({ dataDir: warmDir, warmEngine: true, engineOptions: { gpu: false, threads: 1, onLog: (line) => logs.push(line) } });
    try {
      // The worker logs its backend once node-llama-cpp is up; nothing here asked it for anything.
      await expect.poll(() => logs.some((line) => line.includes('node-llama-cpp on')), { timeout: 30_000, interval: 100 }).toBe(true);
    } finally {
      await warm.dispose();
      rmSync(warmDir, { recursive: true, force: true });
    }
  });
});
