import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodePng } from '../../test/images/encode-png';
import { startOpenAIWire } from '../../test/wire/openai-wire';
import type { WireServer } from '../../test/wire/scenario';
import { type AttachmentRef, type ChatMessage, type ConversationDetail } from '../shared/domain';
import { type Core, createCore } from './app';
import { runChat } from './testing/run-chat';

/**
 * What a reply streams besides its text (reasoning, tool calls) is stored with it and comes back
 * from conversations.get; attachment files no message refers to are swept, never a fresh one.
 */
const DAY = 24 * 60 * 60 * 1000;
let dir: string;
let core: Core;
let openai: WireServer;

const start = () => createCore({ dataDir: dir, engineOptions: { threads: 1 }, env: { OPENAI_WIRE: openai.baseURL } });

beforeAll(async () => {
  openai = await startOpenAIWire();
  dir = mkdtempSync(join(tmpdir(), 'sb-core-extras-'));
  writeFileSync(join(dir, 'switchboard.yaml'), 'providers:\n  wire: { type: openai, baseURL: ${OPENAI_WIRE}, apiKey: sk-test-extras-0000 }\n');
  core = await start();
});
afterAll(async () => {
  await core?.dispose();
  await openai?.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = (route: string, input: unknown) => core.dispatcher.request(route, input, 'test');

async function messagesOf(conversationId: string): Promise<ChatMessage[]> {
  const detail = await request('conversations.get', { id: conversationId });
  expect(detail.ok).toBe(true);
  return (detail as { data: ConversationDetail }).data.messages;
}

describe('reasoning and tool calls are kept with the reply', () => {
  it('stores what a thinking model streamed, tool calls included, and conversations.get returns it', async () => {
    openai.enqueue({
      reasoning: ['The user asks ', 'about the weather; ', 'call the tool.'],
      text: ['Let me check.'],
      toolCalls: [{ id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' }],
      usage: { input: 12, output: 20, reasoning: 9 },
    });
    const run = await runChat(core.dispatcher, { model: 'wire/deepseek-reasoner', text: 'weather in Paris?' });
    expect(run.error).toBeUndefined();
    // What streamed is what is stored.
    const streamedReasoning = run.chunks.flatMap((c) => (c.type === 'reasoning-delta' ? [c.delta] : [])).join('');
    expect(streamedReasoning).toBe('The user asks about the weather; call the tool.');

    const [, reply] = await messagesOf(run.start!.conversationId);
    expect(reply).toMatchObject({
      role: 'assistant',
      status: 'complete',
      text: 'Let me check.',
      reasoning: streamedReasoning,
      toolCalls: [{ id: 'call_w1', name: 'get_weather', input: '{"city":"Paris","unit":"celsius"}' }],
    });

    // A plain reply has neither.
    openai.enqueue({ text: ['Just text.'] });
    const plain = await runChat(core.dispatcher, { model: 'wire/gpt-4o', text: 'hi', conversationId: run.start!.conversationId });
    const last = (await messagesOf(plain.start!.conversationId)).at(-1);
    expect(last).toMatchObject({ text: 'Just text.', status: 'complete' });
    expect(last).not.toHaveProperty('reasoning');
    expect(last).not.toHaveProperty('toolCalls');
  });

  it('keeps what was streamed of a reply the user stopped, and of one whose connection was cut', async () => {
    openai.enqueue({ reasoning: ['Thinking ', 'slowly ', 'about ', 'it ', 'for ', 'a ', 'while.'], text: ['never sent'], delayMs: 40 });
    const stopped = await runChat(core.dispatcher, { model: 'wire/deepseek-reasoner', text: 'think hard' }, (chunk, abort) => {
      if (chunk.type === 'reasoning-delta' && chunk.delta === 'slowly ') abort();
    });
    const [, aborted] = await messagesOf(stopped.start!.conversationId);
    expect(aborted).toMatchObject({ status: 'aborted', text: '' });
    expect(aborted?.reasoning).toMatch(/^Thinking slowly /);

    // First chunk (role + reasoning), then two more reasoning pieces, then the socket dies.
    openai.enqueue({ reasoning: ['One, ', 'two, ', 'three, ', 'four.'], text: ['lost'], fault: { kind: 'cut', afterEvents: 3 } });
    const cut = await runChat(core.dispatcher, { model: 'wire/deepseek-reasoner', text: 'count' });
    const [, failed] = await messagesOf(cut.start!.conversationId);
    expect(failed).toMatchObject({ status: 'error', reasoning: 'One, two, three, ' });
    expect(failed?.error?.kind).toBeDefined();
  });
});

describe('attachment files no message refers to', () => {
  const attachmentsDir = () => join(dir, 'attachments');
  const files = () => readdirSync(attachmentsDir()).sort();
  const age = (id: string, ms: number) => {
    const when = new Date(Date.now() - ms);
    utimesSync(join(attachmentsDir(), id), when, when);
  };
  async function put(n: number): Promise<AttachmentRef> {
    const result = await request('attachments.put', { data: encodePng(n, 2).toString('base64'), name: `img${n}.png` });
    expect(result.ok).toBe(true);
    return (result as { data: AttachmentRef }).data;
  }

  it('are swept after a truncation and at startup, past a grace period; referenced and fresh ones stay', async () => {
    const edited = await put(7); // will be released by a truncation
    const kept = await put(8); // stays referenced by its conversation
    openai.enqueue({ text: ['seven'] }, { text: ['eight'] });
    const first = await runChat(core.dispatcher, { model: 'wire/gpt-4o', text: 'look', attachments: [edited.id] });
    const other = await runChat(core.dispatcher, { model: 'wire/gpt-4o', text: 'look too', attachments: [kept.id] });
    expect(first.error ?? other.error).toBeUndefined();

    // Every file is two days old, and an orphan an earlier run left (no message refers to it) too.
    const orphan = encodePng(9, 2);
    const orphanId = createHash('sha256').update(orphan).digest('hex');
    writeFileSync(join(attachmentsDir(), orphanId), orphan);
    for (const id of [edited.id, kept.id, orphanId]) age(id, 2 * DAY);

    // Regenerate: truncate from the question, then send it again with the same image. The
    // truncation's sweep removes the old orphan but never the image just released, although its
    // file was two days old: it gets a fresh time (and this process holds it for a day).
    const userMessage = (await messagesOf(first.start!.conversationId))[0]!;
    expect(await request('conversations.truncate', { conversationId: first.start!.conversationId, fromMessageId: userMessage.id })).toEqual({ ok: true, data: { deleted: 2 } });
    await vi.waitFor(() => expect(files()).toEqual([edited.id, kept.id].sort()));
    expect(statSync(join(attachmentsDir(), edited.id)).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    openai.enqueue({ text: ['seven again'] });
    const again = await runChat(core.dispatcher, { model: 'wire/gpt-4o', text: 'look', attachments: [edited.id], conversationId: first.start!.conversationId });
    expect(again.error).toBeUndefined();
    expect(again.chunks.filter((c) => c.type === 'error')).toEqual([]);

    // Edit again: the image is released for good this time.
    const resent = (await messagesOf(first.start!.conversationId))[0]!;
    await request('conversations.truncate', { conversationId: first.start!.conversationId, fromMessageId: resent.id });
    await vi.waitFor(() => expect(statSync(join(attachmentsDir(), edited.id)).mtimeMs).toBeGreaterThan(Date.now() - 60_000));
    expect(files()).toEqual([edited.id, kept.id].sort());

    // A day later (the files' times say so), a restart sweeps what no message refers to; a draft's
    // image put just now stays, as does the one its conversation still shows.
    await core.dispose();
    for (const id of [edited.id, kept.id]) age(id, 2 * DAY);
    core = await start();
    const draft = await put(10);
    await vi.waitFor(() => expect(files()).toEqual([kept.id, draft.id].sort()));
    expect(existsSync(join(attachmentsDir(), edited.id))).toBe(false);
    expect(await request('attachments.get', { id: kept.id })).toMatchObject({ ok: true });
  });
});
