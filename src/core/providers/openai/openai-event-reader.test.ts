import { describe, expect, it } from 'vitest';
import { openAIChunkSchema } from './openai-chunk-schema';
import { isPlainChunk } from './openai-event-reader';

describe('isPlainChunk', () => {
  it('passes the per-token chunks servers send, all of which the schema accepts', () => {
    const plain = [
      { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { id: 'c', choices: [{ index: 0, delta: { content: 'Hi', reasoning_content: null }, finish_reason: null, logprobs: null }] },
      { id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { id: 'c', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } },
      { id: null, model: null, created: null, choices: null },
      {},
    ];
    for (const chunk of plain) {
      expect(isPlainChunk(chunk), JSON.stringify(chunk)).toBe(true);
      expect(openAIChunkSchema.safeParse(chunk).success).toBe(true);
    }
  });

  it('leaves everything else to the schema (tool calls, odd types)', () => {
    const unsure = [
      null,
      [],
      'text',
      { id: 3 },
      { created: '1' },
      { choices: {} },
      { choices: [null] },
      { choices: [{ delta: { content: 3 } }] },
      { choices: [{ delta: [] }] },
      { choices: [{ finish_reason: 1 }] },
      { choices: [{ delta: { tool_calls: [{ index: 0, id: 'call', function: { name: 'f', arguments: '' } }] } }] },
    ];
    for (const chunk of unsure) expect(isPlainChunk(chunk), JSON.stringify(chunk)).toBe(false);
  });
});
