import { describe, expect, it } from 'vitest';
import { ProviderError, type CallOptions } from '../../../shared/llm';
import { convertOllamaShow, convertOllamaList } from './convert-ollama-models';
import { convertOllamaUsage } from './convert-ollama-usage';
import { convertToOllamaMessages } from './convert-to-ollama-messages';
import { mapOllamaDoneReason } from './map-ollama-done-reason';
import { kindForStatus, mapOllamaError, parseRetryAfter } from './ollama-error';
import { prepareOllamaRequest } from './prepare-ollama-request';

const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });

describe('mapOllamaDoneReason', () => {
  it('maps stop, length and the rest, keeping the raw word', () => {
    expect(mapOllamaDoneReason('stop', false)).toEqual({ unified: 'stop', raw: 'stop' });
    expect(mapOllamaDoneReason('length', false)).toEqual({ unified: 'length', raw: 'length' });
    expect(mapOllamaDoneReason('load', false)).toEqual({ unified: 'other', raw: 'load' });
    expect(mapOllamaDoneReason(undefined, false)).toEqual({ unified: 'stop' });
  });

  it('calls a stop after tool calls tool-calls', () => {
    expect(mapOllamaDoneReason('stop', true)).toEqual({ unified: 'tool-calls', raw: 'stop' });
    expect(mapOllamaDoneReason('length', true)).toEqual({ unified: 'length', raw: 'length' });
  });
});

describe('convertOllamaUsage', () => {
  it('maps prompt and output counts and leaves what Ollama does not know undefined', () => {
    const usage = convertOllamaUsage({ prompt_eval_count: 26, eval_count: 290, total_duration: 5 }, { sawReasoning: false });
    expect(usage.inputTokens).toEqual({ total: 26, noCache: undefined, cacheRead: undefined, cacheWrite: undefined });
    expect(usage.outputTokens).toEqual({ total: 290, text: 290, reasoning: undefined });
    expect(usage.raw).toEqual({ prompt_eval_count: 26, eval_count: 290, total_duration: 5 });
  });

  it('does not claim the output was all text when the model was thinking', () => {
    const usage = convertOllamaUsage({ prompt_eval_count: 3, eval_count: 40 }, { sawReasoning: true });
    expect(usage.outputTokens).toEqual({ total: 40, text: undefined, reasoning: undefined });
  });

  it('leaves counts Ollama left out undefined, never 0', () => {
    const usage = convertOllamaUsage({}, { sawReasoning: false });
    expect(usage.inputTokens.total).toBeUndefined();
    expect(usage.outputTokens.total).toBeUndefined();
    expect(usage.outputTokens.text).toBeUndefined();
  });
});

describe('convertToOllamaMessages', () => {
  it('puts the system prompt first, images in `images`, tool calls and results in Ollama form', () => {
    const { messages, warnings } = convertToOllamaMessages(
      [
        { role: 'user', content: [{ type: 'text', text: 'What is ' }, { type: 'text', text: 'this?' }, { type: 'image', mediaType: 'image/png', data: 'AAAA' }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Look it up.' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: '{"q":"dot"}' },
            { type: 'tool-call', toolCallId: 'c2', toolName: 'clock', input: { tz: 'UTC' } },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'c1', toolName: 'lookup', output: 'a red dot' },
            { type: 'tool-result', toolCallId: 'c2', toolName: 'clock', output: { time: '12:00' } },
          ],
        },
      ],
      'Be brief.',
    );
    expect(warnings).toEqual([]);
    expect(messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is this?', images: ['AAAA'] },
      {
        role: 'assistant',
        content: 'Let me check.',
        thinking: 'Look it up.',
        tool_calls: [{ function: { name: 'lookup', arguments: { q: 'dot' } } }, { function: { name: 'clock', arguments: { tz: 'UTC' } } }],
      },
      { role: 'tool', content: 'a red dot', tool_name: 'lookup' },
      { role: 'tool', content: '{"time":"12:00"}', tool_name: 'clock' },
    ]);
  });

  it('warns about an image given by URL, which Ollama cannot take', () => {
    const { messages, warnings } = convertToOllamaMessages(
      [{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image', mediaType: 'image/png', url: 'https://example.com/a.png' }] }],
      undefined,
    );
    expect(messages).toEqual([{ role: 'user', content: 'see' }]);
    expect(warnings).toEqual([{ type: 'unsupported', feature: 'image-url', details: expect.any(String) }]);
  });
});

describe('prepareOllamaRequest', () => {
  it('maps sampling settings to options and providerOptions.ollama to their places', () => {
    const options: CallOptions = {
      messages: [user('hi')],
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      seed: 7,
      stop: ['END'],
      maxOutputTokens: 128,
      providerOptions: { ollama: { num_ctx: 8192, keep_alive: '10m', min_p: 0.05 } },
    };
    const { request, warnings } = prepareOllamaRequest('llama3.2', options);
    expect(warnings).toEqual([]);
    expect(request).toEqual({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'hi' }],
      options: { temperature: 0.2, top_p: 0.9, top_k: 40, seed: 7, stop: ['END'], num_predict: 128, num_ctx: 8192, min_p: 0.05 },
      keep_alive: '10m',
    });
  });

  it('sends tools, format and think', () => {
    const tools = [{ name: 'lookup', description: 'Find', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }];
    const { request, warnings } = prepareOllamaRequest('m', {
      messages: [user('x')],
      tools,
      toolChoice: 'auto',
      responseFormat: { type: 'json-schema', schema: { type: 'object' } },
      reasoning: {},
    });
    expect(warnings).toEqual([]);
    expect(request.tools).toEqual([{ type: 'function', function: { name: 'lookup', description: 'Find', parameters: tools[0]?.inputSchema } }]);
    expect(request.format).toEqual({ type: 'object' });
    expect(request.think).toBe(true);
    expect(prepareOllamaRequest('m', { messages: [user('x')], responseFormat: { type: 'json' } }).request.format).toBe('json');
    expect(prepareOllamaRequest('m', { messages: [user('x')], providerOptions: { ollama: { think: 'high' } } }).request.think).toBe('high');
  });

  it('honours toolChoice none by leaving tools out, and warns about what Ollama cannot do', () => {
    const tools = [{ name: 'f', inputSchema: { type: 'object' } }];
    expect(prepareOllamaRequest('m', { messages: [user('x')], tools, toolChoice: 'none' }).request.tools).toBeUndefined();
    const { warnings } = prepareOllamaRequest('m', {
      messages: [user('x')],
      tools,
      toolChoice: 'required',
      reasoning: { effort: 'high', budgetTokens: 1000 },
      providerOptions: { ollama: { mystery: 1 } },
    });
    expect(warnings.map((w) => (w.type === 'unsupported' ? w.feature : w.message))).toEqual([
      'providerOptions.ollama.mystery',
      'toolChoice',
      'reasoning.budgetTokens',
      'reasoning.effort',
    ]);
  });

  it('rejects malformed provider options as bad_request naming the path', () => {
    let caught: unknown;
    try {
      prepareOllamaRequest('m', { messages: [user('x')], providerOptions: { ollama: { num_ctx: 'big' } } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderError);
    expect((caught as ProviderError).kind).toBe('bad_request');
    expect((caught as ProviderError).message).toMatch(/^providerOptions\.ollama\.num_ctx: /);
  });
});

describe('mapOllamaError', () => {
  const context = { baseURL: 'http://127.0.0.1:11434' };
  const responseError = (message: string, status: number) => Object.assign(new Error(message), { name: 'ResponseError', error: message, status_code: status });

  it('maps statuses to kinds and keeps status and Retry-After', () => {
    expect(kindForStatus(400, 'invalid options')).toBe('bad_request');
    expect(kindForStatus(400, 'prompt exceeds the context length')).toBe('context_length');
    expect(kindForStatus(401, '')).toBe('auth');
    expect(kindForStatus(404, '')).toBe('not_found');
    expect(kindForStatus(429, '')).toBe('rate_limit');
    expect(kindForStatus(502, '')).toBe('server');
    const error = mapOllamaError(responseError('too many requests', 429), { ...context, retryAfterMs: 3000 });
    expect(error.toData()).toEqual({ kind: 'rate_limit', message: 'Ollama answered 429: too many requests', status: 429, retryable: true, retryAfterMs: 3000, provider: 'ollama' });
  });

  it('says Ollama is not running when the connection is refused', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }) });
    const error = mapOllamaError(refused, context);
    expect(error.kind).toBe('connection');
    expect(error.message).toContain("Ollama isn't running at http://127.0.0.1:11434");
  });

  it('maps an error line inside a stream by its words, and keeps secrets out', () => {
    expect(mapOllamaError(new Error('pull model manifest: file does not exist'), context).kind).toBe('not_found');
    expect(mapOllamaError(new Error('model runner has unexpectedly stopped'), context).kind).toBe('server');
    const leaked = mapOllamaError(responseError('bad key sk-SECRET-123', 401), { ...context, secrets: ['sk-SECRET-123'] });
    expect(leaked.message).not.toContain('sk-SECRET-123');
  });

  it('tells a timeout from a caller abort', () => {
    const abort = new DOMException('aborted', 'AbortError');
    expect(mapOllamaError(abort, { ...context, timedOut: true }).kind).toBe('timeout');
    expect(mapOllamaError(abort, { ...context, aborted: true }).kind).toBe('aborted');
  });

  it('parses Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
  });
});

describe('convertOllamaShow / convertOllamaList', () => {
  it('lifts the context length and capabilities out of /api/show', () => {
    const info = convertOllamaShow('llava', {
      details: { family: 'llama', parameter_size: '7B', quantization_level: 'Q4_0' },
      model_info: { 'general.architecture': 'llama', 'llama.context_length': 4096, 'general.parameter_count': 7_000_000_000 },
      capabilities: ['completion', 'vision'],
    });
    expect(info.contextLength).toBe(4096);
    expect(info.parameterCount).toBe(7_000_000_000);
    expect(info.modelCapabilities).toEqual({ vision: true, tools: false, reasoning: false, json: true, contextWindow: 4096 });
    expect(info.details).toEqual({ family: 'llama', parameterSize: '7B', quantizationLevel: 'Q4_0' });
  });

  it('reads an empty library (Ollama sends null)', () => {
    expect(convertOllamaList({ models: null })).toEqual([]);
  });
});
