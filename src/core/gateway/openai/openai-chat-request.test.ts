import { describe, expect, it } from 'vitest';
import { GatewayError } from '../gateway-error';
import { parseBody } from '../route-context';
import { chatCompletionRequestSchema, mapChatCompletionRequest } from './openai-chat-request';

const map = (body: unknown) => mapChatCompletionRequest(parseBody(chatCompletionRequestSchema, body));
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

describe('mapChatCompletionRequest', () => {
  it('maps system, developer, user images, tool calls and tool results to the spec', () => {
    const mapped = map({
      model: 'fast',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'No emoji.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.webp', detail: 'low' } },
          ],
        },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', description: 'find', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } },
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(mapped.stream).toBe(true);
    expect(mapped.includeUsage).toBe(true);
    expect(mapped.options.system).toBe('Be brief.\n\nNo emoji.');
    expect(mapped.options.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image', mediaType: 'image/png', data: PNG },
          { type: 'image', mediaType: 'image/webp', url: 'https://example.com/cat.webp' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: { q: 'cat' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'lookup', output: 'a cat' }] },
    ]);
    expect(mapped.options.tools).toEqual([{ name: 'lookup', description: 'find', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }]);
    expect(mapped.options.toolChoice).toEqual({ type: 'tool', toolName: 'lookup' });
    expect(mapped.options.responseFormat).toEqual({ type: 'json-schema', name: 'answer', schema: { type: 'object' } });
  });

  it('normalizes raw parameters through core/params: aliases, and unknown names as warnings', () => {
    const mapped = map({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50, temperature: 0.2, top_p: 0.9, stop: 'END', seed: 7, mystery: 1, response_format: { type: 'json_object' } });
    expect(mapped.options).toMatchObject({ maxOutputTokens: 50, temperature: 0.2, topP: 0.9, stop: ['END'], seed: 7, responseFormat: { type: 'json' } });
    expect(mapped.warnings).toEqual([{ type: 'unsupported', feature: 'mystery', details: 'unknown parameter mystery; it was not sent' }]);
    expect(mapped.stream).toBe(false);
  });

  it('refuses out-of-range parameters, naming them', () => {
    const error = (() => {
      try {
        map({ model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 3.5 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ name: 'ParameterError', parameter: 'temperature', message: 'temperature 3.5 is out of range: expected 0 to 2' });
  });

  it('refuses bodies that are not chat requests with a 400 naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
      [{ model: 'm', messages: [] }, 'messages'],
      [{ model: 'm', messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n'],
      [{ model: 'm', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
      [{ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }, 'messages[0].content[0].image_url.url'],
      [{ model: 'm', messages: [{ role: 'tool', tool_call_id: 'nope', content: 'x' }] }, 'messages[0].tool_call_id'],
      [{ model: 'm', messages: [{ role: 'system', content: 'only a system prompt' }] }, 'messages'],
    ];
    for (const [body, param] of cases) {
      let caught: unknown;
      try {
        map(body);
      } catch (e) {
        caught = e;
      }
      expect(caught, JSON.stringify(body)).toBeInstanceOf(GatewayError);
      expect((caught as GatewayError).status).toBe(400);
      expect((caught as GatewayError).param).toBe(param);
    }
  });
});
