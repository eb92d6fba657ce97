import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../test/images/encode-png';
import { startOpenAIWire } from '../../test/wire/openai-wire';
import type { WireServer } from '../../test/wire/scenario';
import { type AttachmentRef, type ConversationDetail } from '../shared/domain';
import { type Core, createCore } from './app';
import { runChat } from './testing/run-chat';

/** Images through the composed core: stored by hash, referred to by the message, sent (and re-sent) to a wire server. */
let dir: string;
let core: Core;
let openai: WireServer;

beforeAll(async () => {
  openai = await startOpenAIWire();
  dir = mkdtempSync(join(tmpdir(), 'sb-core-attachments-'));
  writeFileSync(join(dir, 'switchboard.yaml'), 'providers:\n  wire: { type: openai, baseURL: ${OPENAI_WIRE}, apiKey: sk-test-attachments-0000 }\n');
  core = await createCore({ dataDir: dir, engineOptions: { threads: 1 }, env: { OPENAI_WIRE: openai.baseURL } });
});
afterAll(async () => {
  await core?.dispose();
  await openai?.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = (route: string, input: unknown) => core.dispatcher.request(route, input, 'test');

/** The image parts of every user message in a Chat Completions request body, as data URLs. */
function imagesSent(body: unknown): string[][] {
  const messages = (body as { messages: { role: string; content: unknown }[] }).messages;
  return messages
    .filter((m) => m.role === 'user')
    .map((m) =>
      Array.isArray(m.content)
        ? (m.content as { type: string; image_url?: { url: string } }[]).filter((p) => p.type === 'image_url').map((p) => p.image_url!.url)
        : [],
    );
}

describe('image attachments in the core', () => {
  it('stores an image, sends it with the message, keeps the ref on the message and re-sends it with the history', async () => {
    const png = encodePng(4, 3);
    const put = await request('attachments.put', { data: png.toString('base64'), name: 'dot.png' });
    expect(put.ok).toBe(true);
    const ref = (put as { data: AttachmentRef }).data;
    expect(ref).toMatchObject({ mediaType: 'image/png', size: png.length });
    expect(readdirSync(join(dir, 'attachments'))).toEqual([ref.id]);

    openai.enqueue({ text: ['a dot'] });
    const first = await runChat(core.dispatcher, { model: 'wire/gpt-4o', text: 'what is this?', attachments: [ref.id] });
    expect(first.error).toBeUndefined();
    expect(first.chunks.filter((c) => c.type === "error")).toEqual([]);
    const dataUrl = `data:image/png;base64,${png.toString('base64')}`;
    expect(imagesSent(openai.requests.at(-1)?.body)).toEqual([[dataUrl]]);

    const detail = await request('conversations.get', { id: first.start!.conversationId });
    const messages = (detail as { data: ConversationDetail }).data.messages;
    expect(messages[0]).toMatchObject({ role: 'user', attachments: [ref] });
    expect(messages[1]?.attachments).toBeUndefined();

    openai.enqueue({ text: ['still a dot'] });
    const second = await runChat(core.dispatcher, { model: 'wire/gpt-4o', text: 'and now?', conversationId: first.start!.conversationId });
    expect(second.error).toBeUndefined();
    expect(imagesSent(openai.requests.at(-1)?.body)).toEqual([[dataUrl], []]);

    const got = await request('attachments.get', { id: ref.id });
    expect(got).toEqual({ ok: true, data: { ...ref, data: png.toString('base64') } });
  });

  it('refuses a text file named .png, and a send naming an attachment that is not stored (writing nothing)', async () => {
    const text = Buffer.from('not an image at all\n').toString('base64');
    const refused = await request('attachments.put', { data: text, name: 'notes.png' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(!refused.ok && refused.error.message).toMatch(/notes\.png is not an image Switchboard can send/);

    const before = (await request('conversations.list', {})) as { data: unknown[] };
    const missing = await runChat(core.dispatcher, { model: 'wire/gpt-4o', text: 'look', attachments: ['b'.repeat(64)] });
    expect(missing.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(missing.start).toBeUndefined();
    const after = (await request('conversations.list', {})) as { data: unknown[] };
    expect(after.data).toHaveLength(before.data.length);

    const badId = await runChat(core.dispatcher, { model: 'wire/gpt-4o', text: 'look', attachments: ['../../etc/passwd'] });
    expect(badId.error).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
