import { Ollama } from 'ollama';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOllamaWire, type OllamaWire } from './ollama-wire';

let wire: OllamaWire;
beforeEach(async () => {
  wire = await startOllamaWire();
});
afterEach(async () => {
  await wire.close();
});

describe('Ollama wire server (driven by the real ollama client)', () => {
  it('answers a non-streaming chat with one whole message and the final counts', async () => {
    wire.enqueue({ reasoning: ['Hmm.'], text: ['Hi ', 'there.'], toolCalls: [{ id: 'c', name: 'f', arguments: '{"a":1}' }], usage: { input: 3, output: 4 }, finish: 'stop' });
    const client = new Ollama({ host: wire.baseURL });
    const response = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: false });
    expect(response).toMatchObject({
      model: 'llama3.2',
      message: { role: 'assistant', content: 'Hi there.', thinking: 'Hmm.', tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 3,
      eval_count: 4,
    });
  });

  it('streams NDJSON chunks ending with done, with counts only where the scenario has them', async () => {
    wire.enqueue({ text: ['a', 'b'], usage: { output: 2 }, finish: 'length' });
    const client = new Ollama({ host: wire.baseURL });
    const chunks = [];
    for await (const chunk of await client.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true })) chunks.push(chunk);
    expect(chunks.map((c) => c.message.content)).toEqual(['a', 'b', '']);
    const last = chunks.at(-1);
    expect(last).toMatchObject({ done: true, done_reason: 'length', eval_count: 2 });
    expect(last).not.toHaveProperty('prompt_eval_count');
  });

  it("sends Ollama's error body with the status, and knows Ollama's other routes", async () => {
    wire.enqueue({ fault: { kind: 'status', status: 404, message: 'model "x" not found, try pulling it first' } });
    const client = new Ollama({ host: wire.baseURL });
    await expect(client.chat({ model: 'x', messages: [] })).rejects.toMatchObject({ name: 'ResponseError', status_code: 404, error: 'model "x" not found, try pulling it first' });
    expect(await (await fetch(`${wire.baseURL}/`)).text()).toBe('Ollama is running');
    expect((await fetch(`${wire.baseURL}/api/nothing`)).status).toBe(404);
  });
});
