import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../../shared/llm';
import { GatewayError } from '../gateway-error';
import { parseBody } from '../route-context';
import { mapMessagesRequest, messagesRequestSchema } from './anthropic-messages-request';
import { createAnthropicEventEncoder } from './anthropic-messages-response';

const map = (body: unknown) => mapMessagesRequest(parseBody(messagesRequestSchema, body));

describe('mapMessagesRequest', () => {
  it('maps system, images, tool_use and tool_result (before the rest of its turn) to the spec', () => {
    const mapped = map({
      model: 'claude-group',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Be brief.' }],
      temperature: 0.5,
      stop_sequences: ['END'],
      messages: [
        { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }, { type: 'text', text: 'what?' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id: 'tu_1', name: 'lookup', input: { q: 'x' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu_1', content: [{ type: 'text', text: 'found' }], is_error: true }, { type: 'text', text: 'and?' }] },
      ],
      tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    expect(mapped.options).toMatchObject({ system: 'Be brief.', maxOutputTokens: 100, temperature: 0.5, stop: ['END'], toolChoice: 'required', reasoning: { budgetTokens: 1024 } });
    expect(mapped.options.messages).toEqual([
      { role: 'user', content: [{ type: 'image', mediaType: 'image/png', data: 'AAAA' }, { type: 'text', text: 'what?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool-call', toolCallId: 'tu_1', toolName: 'lookup', input: { q: 'x' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'tu_1', toolName: 'lookup', output: 'found', isError: true }] },
      { role: 'user', content: [{ type: 'text', text: 'and?' }] },
    ]);
    expect(mapped.options.tools).toEqual([{ name: 'lookup', inputSchema: { type: 'object' } }]);
  });

  it('refuses a request without max_tokens, or a tool_result that answers nothing, with a 400', () => {
    expect(() => map({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })).toThrow(/max_tokens is required/);
    expect(() => map({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x' }] }] })).toThrow(GatewayError);
  });
});

describe('createAnthropicEventEncoder', () => {
  it('writes message_start, content blocks, message_delta with usage and message_stop', () => {
    const encoder = createAnthropicEventEncoder({ id: 'msg_1', model: 'm' });
    const parts: StreamPart[] = [
      { type: 'stream-start', warnings: [] },
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', delta: 'think' },
      { type: 'reasoning-end', id: 'r' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Hi' },
      { type: 'text-end', id: 't' },
      { type: 'tool-call', toolCallId: 'tu_1', toolName: 'lookup', input: '{"q":1}' },
      { type: 'finish', usage: { inputTokens: { total: 7 }, outputTokens: { total: 3 } }, finishReason: { unified: 'tool-calls' } },
    ];
    const text = encoder.start() + parts.map((p) => encoder.encode(p)).join('');
    const names = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names).toEqual([
      'message_start',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1] ?? '') as Record<string, unknown>);
    expect(data[5]).toEqual({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } });
    expect(data[9]).toEqual({ type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"q":1}' } });
    expect(data[11]).toEqual({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { input_tokens: 7, output_tokens: 3 } });
  });
});
