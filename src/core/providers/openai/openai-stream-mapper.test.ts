import { describe, expect, it } from 'vitest';
import { ProviderError, type StreamPart } from '../../../shared/llm';
import { openAIChunkSchema, type OpenAIChunk } from './openai-chunk-schema';
import { OpenAIStreamMapper, type OpenAIStreamMapperOptions } from './openai-stream-mapper';

const chunk = (delta: Record<string, unknown> | null, finish: string | null = null, extra: Record<string, unknown> = {}): OpenAIChunk =>
  openAIChunkSchema.parse({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 2, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }], ...extra });

const mapper = (options: Partial<OpenAIStreamMapperOptions> = {}) => {
  const parts: StreamPart[] = [];
  const m = new OpenAIStreamMapper({ reasoningFields: ['reasoning_content', 'reasoning'], emit: (p) => parts.push(p), ...options });
  return { m, parts, types: () => parts.map((p) => p.type) };
};

describe('OpenAIStreamMapper', () => {
  it('sends metadata once, text in one block, closes it at the finish reason and reports usage at the end', () => {
    const { m, parts } = mapper();
    m.chunk(chunk({ role: 'assistant', content: 'Hel' }));
    m.chunk(chunk({ content: 'lo' }));
    m.chunk(chunk({}, 'stop'));
    m.chunk(openAIChunkSchema.parse({ id: 'chatcmpl-1', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } }));
    m.end();
    expect(parts).toEqual([
      { type: 'response-metadata', id: 'chatcmpl-1', modelId: 'gpt-4o-mini', timestamp: 2000 },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Hel' },
      { type: 'text-delta', id: 'text-0', delta: 'lo' },
      { type: 'text-end', id: 'text-0' },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: expect.objectContaining({ inputTokens: expect.objectContaining({ total: 5 }), outputTokens: expect.objectContaining({ total: 2 }) }) as unknown,
      },
    ]);
  });

  it('reasoning before text, each in its own block, a new id when a block opens again', () => {
    const { m, parts, types } = mapper();
    m.chunk(chunk({ reasoning_content: 'Let me ' }));
    m.chunk(chunk({ reasoning: 'think.' }));
    m.chunk(chunk({ content: '42' }));
    m.chunk(chunk({ reasoning_content: 'Hmm.' }));
    m.end();
    expect(types()).toEqual([
      'response-metadata',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-delta',
      'reasoning-end',
      'text-start',
      'text-delta',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-end',
      'text-end',
      'finish',
    ]);
    expect(parts.filter((p) => p.type === 'reasoning-start')).toEqual([
      { type: 'reasoning-start', id: 'reasoning-0' },
      { type: 'reasoning-start', id: 'reasoning-1' },
    ]);
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'other' } });
  });

  it('reads reasoning only from the named fields', () => {
    const { m, types } = mapper({ reasoningFields: [] });
    m.chunk(chunk({ reasoning_content: 'hidden', content: 'shown' }));
    m.end();
    expect(types()).toEqual(['response-metadata', 'text-start', 'text-delta', 'text-end', 'finish']);
  });

  it('assembles tool calls from their pieces and sends them whole at the finish reason', () => {
    const { m, parts } = mapper();
    m.chunk(chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }));
    m.chunk(chunk({ tool_calls: [{ index: 1, function: { name: 'get_time', arguments: '{}' } }] }));
    m.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }));
    m.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }));
    m.chunk(chunk({}, 'tool_calls'));
    m.end();
    const calls = parts.filter((p) => p.type === 'tool-call');
    expect(calls).toEqual([
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'get_weather', input: '{"city":"Paris"}' },
      { type: 'tool-call', toolCallId: expect.stringMatching(/^call_1_/) as unknown, toolName: 'get_time', input: '{}' },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' } });
  });

  it('an error closes the open blocks, then error and finish; the end is sent once', () => {
    const { m, parts, types } = mapper();
    m.chunk(chunk({ content: 'Half' }));
    m.end(new ProviderError({ kind: 'connection', message: 'terminated' }));
    m.end();
    expect(types()).toEqual(['response-metadata', 'text-start', 'text-delta', 'text-end', 'error', 'finish']);
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'error', raw: 'connection' }, usage: { inputTokens: {}, outputTokens: {} } });
  });

  it('an end by the caller’s signal, before any finish reason, is aborted', () => {
    const { m, parts } = mapper();
    m.chunk(chunk({ content: 'tick' }));
    m.end(undefined, true);
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'aborted' } });
  });

  it('passes usage extras to the preset', () => {
    const { m, parts } = mapper({ readUsageExtras: (u) => ({ costUsd: u.cost }) });
    m.chunk(chunk({}, 'stop', { usage: { prompt_tokens: 1, completion_tokens: 1, cost: 0.5 } }));
    m.end();
    expect(parts.at(-1)).toMatchObject({ usage: { raw: { cost: 0.5, costUsd: 0.5 } } });
  });
});

describe('openAIChunkSchema', () => {
  it('accepts what compatible servers send: nulls, missing fields, extra fields, empty choices', () => {
    for (const event of [
      { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }] },
      { choices: [{ delta: { content: null, role: 'assistant', reasoning_content: 'r' } }], usage: null, system_fingerprint: null },
      { id: 'x', choices: [], usage: { prompt_tokens: 1, cost: 0.1 } },
      { choices: [{ delta: null, finish_reason: 'stop' }] },
      {},
    ]) {
      expect(openAIChunkSchema.safeParse(event).success, JSON.stringify(event)).toBe(true);
    }
  });

  it('refuses shapes the adapter relies on being otherwise', () => {
    for (const event of [42, 'text', null, [], { choices: 'none' }, { choices: [{ delta: { content: 7 } }] }, { choices: [{ delta: { tool_calls: [{ index: -1 }] } }] }]) {
      expect(openAIChunkSchema.safeParse(event).success, JSON.stringify(event)).toBe(false);
    }
  });
});
