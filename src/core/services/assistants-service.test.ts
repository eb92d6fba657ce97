import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIWire } from '../../../test/wire/openai-wire';
import type { WireServer } from '../../../test/wire/scenario';
import { type AssistantsView, type ChatEvent, type Result } from '../../shared/contract';
import { type ConversationDetail, type ConversationSummary } from '../../shared/domain';
import { type Core, createCore } from '../app';
import { runChat } from '../testing/run-chat';
import { openGatewayTokens } from '../gateway/gateway-tokens';
import { startGateway } from '../gateway/start-gateway';

/**
 * Assistants through the real core: saved to switchboard.yaml (comments kept), applied by chat.send
 * against the OpenAI wire server (the system prompt first, the parameters in the request body,
 * explicit ones winning), renamed and deleted without breaking the conversations that use them.
 */
const USER_FILE = `# hand-written: keep this comment
providers:
  wire: { type: openai, baseURL: "BASE", apiKey: sk-assistants-0000 }   # the wire server
groups:
  fast:
    deployments: [{ provider: wire, model: gpt-4o-mini }]
`;

let dir: string;
let core: Core;
let wire: WireServer;

async function call<T>(route: string, input: unknown = {}): Promise<Result<T>> {
  return (await core.dispatcher.request(route, input, 'test')) as Result<T>;
}
async function request<T>(route: string, input: unknown = {}): Promise<T> {
  const result = await call<T>(route, input);
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  return result.data;
}
const yaml = () => readFileSync(join(dir, 'switchboard.yaml'), 'utf8');

async function send(input: Record<string, unknown>): Promise<ChatEvent[]> {
  const { chunks, error } = await runChat(core.dispatcher, input);
  if (error !== undefined) throw new Error(`${error.code} ${error.message}`);
  return chunks;
}
const startOf = (chunks: ChatEvent[]) => chunks.find((c): c is Extract<ChatEvent, { type: 'chat-start' }> => c.type === 'chat-start')!;

interface WireBody {
  model: string;
  messages: { role: string; content: unknown }[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  seed?: number;
  stop?: string[];
}
const lastBody = () => wire.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body as WireBody;

beforeAll(async () => {
  wire = await startOpenAIWire();
  dir = mkdtempSync(join(tmpdir(), 'sb-assistants-'));
  writeFileSync(join(dir, 'switchboard.yaml'), USER_FILE.replace('BASE', wire.baseURL));
  core = await createCore({ dataDir: dir, engineOptions: { threads: 1 }, env: { PATH: '/usr/bin' }, log: () => undefined });
});
afterAll(async () => {
  await core?.dispose();
  await wire?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('assistants through the core', () => {
  it('saves an assistant to switchboard.yaml, keeping the comments, and lists it', async () => {
    const view = await request<AssistantsView>('assistants.save', {
      assistant: { name: 'Reviewer', model: 'fast', system: 'You review code.\nBe brief.', temperature: 0.2, topP: 0.9, maxOutputTokens: 300, seed: 11 },
    });
    expect(view.assistants).toEqual([
      { name: 'Reviewer', model: 'fast', system: 'You review code.\nBe brief.', temperature: 0.2, topP: 0.9, maxOutputTokens: 300, seed: 11, problem: null },
    ]);
    const text = yaml();
    expect(text).toContain('# hand-written: keep this comment');
    expect(text).toContain('# the wire server');
    expect(text).toContain('assistants:\n  - name: Reviewer\n    model: fast\n    system: |-\n      You review code.\n      Be brief.\n    temperature: 0.2');
  });

  it('sends the system prompt first and the parameters; the conversation records the assistant', async () => {
    wire.enqueue({ text: ['Looks ', 'fine.'] });
    const chunks = await send({ assistant: 'reviewer', text: 'Is this ok?' });
    expect(chunks.filter((c) => c.type === 'error')).toEqual([]);
    const start = startOf(chunks);
    expect(start.model).toBe('fast');
    const body = lastBody();
    expect(body.messages[0]).toEqual({ role: 'system', content: 'You review code.\nBe brief.' });
    expect(body.messages.at(-1)).toMatchObject({ role: 'user' });
    expect(body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.2, top_p: 0.9, seed: 11 });
    expect(body.max_tokens ?? body.max_completion_tokens).toBe(300);

    const detail = await request<ConversationDetail>('conversations.get', { id: start.conversationId });
    expect(detail.conversation.assistant).toBe('Reviewer');
    // The prompt is sent, never stored as a message the user sees.
    expect(detail.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(JSON.stringify(detail.messages)).not.toContain('You review code');

    // The next turn in that conversation applies it without naming it; explicit parameters win.
    wire.enqueue({ text: ['Sure.'] });
    await send({ conversationId: start.conversationId, model: 'fast', text: 'And now?', temperature: 1.3, maxOutputTokens: 20 });
    const next = lastBody();
    expect(next.messages[0]).toEqual({ role: 'system', content: 'You review code.\nBe brief.' });
    expect(next.messages.filter((m) => m.role === 'system')).toHaveLength(1);
    expect(next).toMatchObject({ temperature: 1.3, top_p: 0.9 });
    expect(next.max_tokens ?? next.max_completion_tokens).toBe(20);
  });

  it('uses another model when the user picks one, and joins a request\'s own system prompt after the assistant\'s', async () => {
    wire.enqueue({ text: ['ok'] });
    const chunks = await send({ assistant: 'Reviewer', model: 'wire/gpt-4o', system: 'Answer in French.', text: 'Bonjour' });
    expect(startOf(chunks).model).toBe('wire/gpt-4o');
    expect(lastBody().model).toBe('gpt-4o');
    expect(lastBody().messages[0]).toEqual({ role: 'system', content: 'You review code.\nBe brief.\n\nAnswer in French.' });
  });

  it('refuses bad input with the field named, and writes nothing', async () => {
    const before = yaml();
    const unknownModel = await call('assistants.save', { assistant: { name: 'Lost', model: 'nowhere' } });
    expect(unknownModel.ok).toBe(false);
    expect(!unknownModel.ok && unknownModel.error).toMatchObject({ code: 'VALIDATION_FAILED', data: { issues: [{ path: 'assistants[1].model' }] } });
    expect(!unknownModel.ok && unknownModel.error.message).toContain('unknown model "nowhere"');

    const hot = await call('assistants.save', { assistant: { name: 'Hot', model: 'fast', temperature: 3 } });
    expect(!hot.ok && hot.error.message).toBe('the change was not saved: assistants[1].temperature: 3 is out of range: expected 0 to 2');

    const twin = await call('assistants.save', { assistant: { name: 'REVIEWER', model: 'fast' } });
    expect(!twin.ok && twin.error.message).toContain('assistants[1].name: another assistant (assistants[0]) is already named "REVIEWER"');

    const unknown = await runChat(core.dispatcher, { assistant: 'Nobody', text: 'hi' });
    expect(unknown.chunks).toEqual([]);
    expect(unknown.error).toMatchObject({ code: 'NOT_FOUND', message: 'no assistant named "Nobody"; assistants: Reviewer' });
    const noModel = await runChat(core.dispatcher, { text: 'hi' });
    expect(noModel.error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'model: choose a model (or an assistant that names one)' });
    expect(yaml()).toBe(before);
  });

  it('a rename carries its conversations along; a deleted assistant leaves them working, without its prompt', async () => {
    wire.enqueue({ text: ['first'] });
    const conversationId = startOf(await send({ assistant: 'Reviewer', text: 'hello' })).conversationId;

    await request<AssistantsView>('assistants.save', { previousName: 'Reviewer', assistant: { name: 'Critic', model: 'fast', system: 'Be harsh.', temperature: 0.5 } });
    expect(yaml()).toContain('name: Critic');
    expect(yaml()).not.toContain('Reviewer');
    expect(yaml()).not.toContain('topP');
    const renamed = await request<ConversationDetail>('conversations.get', { id: conversationId });
    expect(renamed.conversation.assistant).toBe('Critic');
    wire.enqueue({ text: ['second'] });
    await send({ conversationId, text: 'again' });
    expect(lastBody().messages[0]).toEqual({ role: 'system', content: 'Be harsh.' });
    expect(lastBody().model).toBe('gpt-4o-mini');

    const view = await request<AssistantsView>('assistants.remove', { name: 'Critic' });
    expect(view.assistants).toEqual([]);
    expect(yaml()).toContain('# hand-written: keep this comment');
    wire.enqueue({ text: ['third'] });
    const chunks = await send({ conversationId, text: 'still there?' });
    expect(chunks.filter((c) => c.type === 'error')).toEqual([]);
    // The conversation's model, no system prompt; it still names the assistant, so the chat can say it is gone.
    expect(lastBody().model).toBe('gpt-4o-mini');
    expect(lastBody().messages.filter((m) => m.role === 'system')).toEqual([]);
    const gone = await request<ConversationDetail>('conversations.get', { id: conversationId });
    expect(gone.conversation.assistant).toBe('Critic');
  });

  it('assistants.use sets and clears a conversation\'s assistant', async () => {
    await request('assistants.save', { assistant: { name: 'Poet', model: 'fast', system: 'Rhyme.' } });
    wire.enqueue({ text: ['plain'] });
    const conversationId = startOf(await send({ model: 'fast', text: 'no assistant' })).conversationId;
    expect(lastBody().messages.filter((m) => m.role === 'system')).toEqual([]);

    const set = await request<ConversationSummary>('assistants.use', { conversationId, assistant: 'poet' });
    expect(set.assistant).toBe('Poet');
    wire.enqueue({ text: ['rhymed'] });
    await send({ conversationId, model: 'fast', text: 'now with one' });
    expect(lastBody().messages[0]).toEqual({ role: 'system', content: 'Rhyme.' });

    const cleared = await request<ConversationSummary>('assistants.use', { conversationId, assistant: null });
    expect(cleared.assistant).toBeUndefined();
    const missing = await call('assistants.use', { conversationId, assistant: 'Nobody' });
    expect(!missing.ok && missing.error).toMatchObject({ code: 'NOT_FOUND', message: 'no assistant named "Nobody"; assistants: Poet' });
  });

  it('a hand edit of the file reloads the list', async () => {
    writeFileSync(join(dir, 'switchboard.yaml'), `${yaml()}  - { name: Hand, model: wire/gpt-4o, temperature: 0 }\n`);
    await expect.poll(async () => (await request<AssistantsView>('assistants.list')).assistants.map((a) => a.name), { timeout: 5_000 }).toEqual(['Poet', 'Hand']);
  });

  it('the gateway takes assistant/<name> as a model: its model, prompt and parameters, the client\'s own on top', async () => {
    await request('assistants.save', { assistant: { name: 'Gateway helper', model: 'fast', system: 'Be terse.', temperature: 0.1, topP: 0.5 } });
    const { token } = openGatewayTokens(dir).create('editor');
    const gateway = await startGateway(core, { port: 0 });
    try {
      const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: token, maxRetries: 0 });
      wire.enqueue({ text: ['ok'] });
      const completion = await client.chat.completions.create({
        model: 'assistant/gateway helper',
        temperature: 0.9,
        messages: [{ role: 'system', content: 'Use French.' }, { role: 'user', content: 'Hi' }],
      });
      expect(completion.choices[0]?.message.content).toBe('ok');
      const body = lastBody();
      expect(body.model).toBe('gpt-4o-mini');
      expect(body.messages[0]).toEqual({ role: 'system', content: 'Be terse.\n\nUse French.' });
      expect(body).toMatchObject({ temperature: 0.9, top_p: 0.5 });

      const unknown = await client.chat.completions.create({ model: 'assistant/Nobody', messages: [{ role: 'user', content: 'Hi' }] }).then(() => undefined, (error: unknown) => error);
      expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
      expect((unknown as Error).message).toContain('no assistant named "Nobody"; assistants: Poet, Hand, Gateway helper');
    } finally {
      await gateway.close();
    }
  });
});
