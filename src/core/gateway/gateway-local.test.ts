import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeTestModel } from '../models/test-model';
import { openGatewayTokens } from './gateway-tokens';
import { type GatewayFixture, startGatewayFixture } from './testing/gateway-fixture';

/** The gateway in front of the local engine, on a generated tiny GGUF: chat from two clients at once, and embeddings. */
let f: GatewayFixture;
let editor: OpenAI;
let agent: OpenAI;

beforeAll(async () => {
  f = await startGatewayFixture();
  await writeTestModel(join(f.dir, 'models', 'tiny.gguf'), { seed: 3 });
  editor = new OpenAI({ baseURL: f.gateway.baseURL, apiKey: f.token, maxRetries: 0 });
  agent = new OpenAI({ baseURL: f.gateway.baseURL, apiKey: openGatewayTokens(f.dir).create('agent').token, maxRetries: 0 });
}, 60_000);
afterAll(async () => {
  await f?.close();
});

async function streamText(client: OpenAI): Promise<{ text: string; id: string; usage: OpenAI.CompletionUsage | undefined }> {
  const stream = await client.chat.completions.create({ model: 'local/tiny', stream: true, stream_options: { include_usage: true }, max_tokens: 8, messages: [{ role: 'user', content: 'Tell me a story' }] });
  let text = '';
  let id = '';
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) {
    id = chunk.id;
    text += chunk.choices[0]?.delta.content ?? '';
    usage = chunk.usage ?? usage;
  }
  return { text, id, usage };
}

describe('gateway: local models', () => {
  it('streams from the local engine to two clients at once; each call is recorded under its token', async () => {
    const [a, b] = await Promise.all([streamText(editor), streamText(agent)]);
    for (const answer of [a, b]) {
      expect(answer.text.length).toBeGreaterThan(0);
      expect(answer.usage?.completion_tokens).toBeGreaterThan(0);
    }
    // The fixture reads through its own connection, and the core writes calls a few ms after they
    // end (write-behind, store/call-recorder.ts): the finished rows appear a moment later.
    await vi.waitFor(async () => {
      const rows = await f.calls();
      expect(rows.find((r) => `chatcmpl-${r.requestId}` === a.id)).toMatchObject({ client: 'editor', provider: 'local', model: 'local/tiny', outcome: 'success' });
      expect(rows.find((r) => `chatcmpl-${r.requestId}` === b.id)).toMatchObject({ client: 'agent', provider: 'local', model: 'local/tiny', outcome: 'success' });
    });
  }, 60_000);

  it('embeds with a local model and records the call at no cost', async () => {
    const result = await editor.embeddings.create({ model: 'local/tiny', input: ['the river', 'the sea'] });
    expect(result.data.map((d) => d.embedding.length)).toEqual([64, 64]);
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
    const base64 = await editor.embeddings.create({ model: 'local/tiny', input: 'the river', encoding_format: 'base64' });
    // Asked for explicitly, base64 comes back as is: little-endian float32, the same vector.
    const bytes = Buffer.from(base64.data[0]?.embedding as unknown as string, 'base64');
    expect([...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)]).toEqual(result.data[0]?.embedding.map((x) => Math.fround(x)));
    expect((await f.calls()).at(-1)).toMatchObject({ client: 'editor', provider: 'local', model: 'local/tiny', outcome: 'success', costUsd: 0 });
  }, 60_000);
});
