import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generate } from '../../../shared/llm';
import { createOpenAI } from './create-openai';

/**
 * Streams OpenAI-compatible servers send that the scenario-driven wire server does not script:
 * an error event in the middle of a stream, tool calls without ids, reasoning under `reasoning`.
 * Each test serves fixed SSE lines, written from the chat completions streaming format.
 */
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(events: unknown[]): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of events) res.write(`data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}/v1`;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'chatcmpl-q',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'quirky',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const prompt = { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'go' }] }] };
const model = (baseURL: string) => createOpenAI({ provider: 'lab', baseURL, requireApiKey: false }).languageModel('quirky');

describe('OpenAI-compatible quirks', () => {
  it('an error event mid-stream becomes an error part after the text so far', async () => {
    const baseURL = await serve([
      chunk({ role: 'assistant', content: 'Half' }),
      { error: { message: 'The model is overloaded. Please try again.', type: 'server_error', code: null } },
    ]);
    const result = await generate(model(baseURL), prompt);
    expect(result.text).toBe('Half');
    expect(result.error).toMatchObject({ kind: 'server', retryable: true, provider: 'lab' });
    expect(result.error?.message).toContain('overloaded');
    expect(result.finishReason.unified).toBe('error');
  });

  it('an in-stream context-length error keeps its kind', async () => {
    const baseURL = await serve([{ error: { message: 'maximum context length exceeded', code: 'context_length_exceeded' } }]);
    const result = await generate(model(baseURL), prompt);
    expect(result.error?.kind).toBe('context_length');
  });

  it('tool calls without ids get unique ids; reasoning under `reasoning` is read', async () => {
    const baseURL = await serve([
      chunk({ role: 'assistant', reasoning: 'Need two lookups.' }),
      chunk({ tool_calls: [{ index: 0, type: 'function', function: { name: 'a', arguments: '{"x"' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }),
      chunk({ tool_calls: [{ index: 1, type: 'function', function: { name: 'b' } }] }),
      chunk({}, 'tool_calls'),
      '[DONE]',
    ]);
    const result = await generate(model(baseURL), prompt);
    expect(result.reasoning).toBe('Need two lookups.');
    expect(result.toolCalls.map((c) => [c.toolName, c.input])).toEqual([
      ['a', '{"x":1}'],
      ['b', '{}'],
    ]);
    const [first, second] = result.toolCalls.map((c) => c.toolCallId);
    expect(first).toBeTruthy();
    expect(first).not.toBe(second);
    expect(result.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_calls' });
  });

  it('a stream that ends without a finish reason finishes as other, with what it had', async () => {
    const baseURL = await serve([chunk({ role: 'assistant', content: 'no end' })]);
    const result = await generate(model(baseURL), prompt);
    expect(result.text).toBe('no end');
    expect(result.error).toBeUndefined();
    expect(result.finishReason).toEqual({ unified: 'other' });
  });
});
