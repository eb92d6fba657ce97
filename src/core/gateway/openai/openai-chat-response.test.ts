import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../../shared/llm';
import { createOpenAIChunkEncoder, toChatCompletion } from './openai-chat-response';

const meta = { id: 'chatcmpl-r1', model: 'fast', created: 1_700_000_000 };
const events = (text: string) =>
  text
    .split('\n\n')
    .filter((e) => e !== '')
    .map((e) => e.replace(/^data: /, ''))
    .map((e) => (e === '[DONE]' ? e : (JSON.parse(e) as Record<string, unknown>)));

const finish: StreamPart = { type: 'finish', usage: { inputTokens: { total: 9, cacheRead: 2 }, outputTokens: { total: 3 } }, finishReason: { unified: 'tool-calls' } };

describe('createOpenAIChunkEncoder', () => {
  it('writes the role chunk, deltas, whole tool calls, finish_reason, the usage chunk and [DONE]', () => {
    const encoder = createOpenAIChunkEncoder(meta, true);
    const parts: StreamPart[] = [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Hi' },
      { type: 'text-end', id: 't' },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: '{"q":1}' },
      { type: 'tool-call', toolCallId: 'c2', toolName: 'lookup', input: '{"q":2}' },
      finish,
    ];
    const out = events(parts.map((p) => encoder.encode(p)).join(''));
    const deltas = out.slice(0, 5).map((e) => (e as { choices: Array<{ delta: unknown; finish_reason: unknown }> }).choices[0]);
    expect(deltas).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null },
      { index: 0, delta: { content: 'Hi' }, finish_reason: null, logprobs: null },
      { index: 0, delta: { tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } }] }, finish_reason: null, logprobs: null },
      { index: 0, delta: { tool_calls: [{ index: 1, id: 'c2', type: 'function', function: { name: 'lookup', arguments: '{"q":2}' } }] }, finish_reason: null, logprobs: null },
      { index: 0, delta: {}, finish_reason: 'tool_calls', logprobs: null },
    ]);
    expect(out[5]).toMatchObject({ object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, prompt_tokens_details: { cached_tokens: 2 } } });
    expect(out[6]).toBe('[DONE]');
    expect(out).toHaveLength(7);
  });

  it('leaves the usage chunk out unless asked, and ends a failed stream with an error event and no [DONE]', () => {
    const plain = events(createOpenAIChunkEncoder(meta, false).encode(finish));
    expect(plain.some((e) => typeof e === 'object' && 'usage' in e)).toBe(false);

    const encoder = createOpenAIChunkEncoder(meta, true);
    const text =
      encoder.encode({ type: 'text-delta', id: 't', delta: 'par' }) +
      encoder.encode({ type: 'error', error: { kind: 'connection', message: 'reset by peer', retryable: true, provider: 'openai' } }) +
      encoder.encode({ type: 'finish', usage: { inputTokens: {}, outputTokens: {} }, finishReason: { unified: 'error' } });
    const out = events(text);
    expect(out.at(-1)).toEqual({ error: { message: 'reset by peer (provider openai)', type: 'server_error', param: null, code: 'upstream_error' } });
    expect(out).not.toContain('[DONE]');
  });
});

describe('toChatCompletion', () => {
  it('writes a chat.completion with tool calls, reasoning and usage', () => {
    const completion = toChatCompletion(
      {
        text: '',
        reasoning: 'hmm',
        toolCalls: [{ toolCallId: 'c1', toolName: 'lookup', input: '{}' }],
        usage: { inputTokens: { total: 4 }, outputTokens: { total: 2, reasoning: 1 } },
        finishReason: { unified: 'tool-calls' },
        warnings: [],
        error: undefined,
        responseId: undefined,
      },
      meta,
    );
    expect(completion).toEqual({
      id: 'chatcmpl-r1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'fast',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, refusal: null, reasoning_content: 'hmm', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6, completion_tokens_details: { reasoning_tokens: 1 } },
    });
  });
});
