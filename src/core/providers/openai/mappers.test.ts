import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import type { CallOptions } from '../../../shared/llm';
import { convertOpenAIUsage } from './convert-openai-usage';
import { convertToOpenAIMessages } from './convert-to-openai-messages';
import { convertToOpenAIRequest } from './convert-to-openai-request';
import { mapOpenAIFinishReason } from './map-openai-finish-reason';
import { isOpenAIReasoningModel } from './openai-compat';
import { convertOpenAIError, kindOf, parseRetryAfter, scrub } from './openai-error';
import { prepareOpenAITools } from './prepare-openai-tools';

const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });

describe('convertOpenAIUsage', () => {
  it('splits cached input and reasoning output (worked example)', () => {
    // 1,200 prompt tokens of which 1,024 came from the cache; 300 out of which 180 were reasoning.
    const usage = convertOpenAIUsage({
      prompt_tokens: 1200,
      completion_tokens: 300,
      total_tokens: 1500,
      prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 180 },
    });
    expect(usage.inputTokens).toEqual({ total: 1200, noCache: 176, cacheRead: 1024, cacheWrite: undefined });
    expect(usage.outputTokens).toEqual({ total: 300, text: 120, reasoning: 180 });
    expect(usage.raw).toMatchObject({ total_tokens: 1500 });
  });

  it('leaves what the server did not send undefined, never 0', () => {
    const usage = convertOpenAIUsage({ prompt_tokens: 10, completion_tokens: 4 });
    expect(usage.inputTokens).toEqual({ total: 10, noCache: undefined, cacheRead: undefined, cacheWrite: undefined });
    expect(usage.outputTokens).toEqual({ total: 4, text: undefined, reasoning: undefined });
    expect(convertOpenAIUsage({ prompt_tokens: 10, completion_tokens: null }).outputTokens.total).toBeUndefined();
  });

  it('keeps a reported 0 as 0', () => {
    const usage = convertOpenAIUsage({ prompt_tokens: 10, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } });
    expect(usage.inputTokens).toMatchObject({ cacheRead: 0, noCache: 10 });
    expect(usage.outputTokens).toEqual({ total: 4, text: 4, reasoning: 0 });
  });

  it('returns empty usage for nothing or nonsense, and merges extras into raw', () => {
    expect(convertOpenAIUsage(undefined)).toEqual({ inputTokens: {}, outputTokens: {} });
    expect(convertOpenAIUsage({ prompt_tokens: 'many' })).toEqual({ inputTokens: {}, outputTokens: {} });
    const usage = convertOpenAIUsage({ prompt_tokens: 3, completion_tokens: 2, cost: 0.00042 }, { costUsd: 0.00042 });
    expect(usage.raw).toEqual({ prompt_tokens: 3, completion_tokens: 2, cost: 0.00042, costUsd: 0.00042 });
  });
});

describe('mapOpenAIFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['content_filter', 'content-filter'],
    ['tool_calls', 'tool-calls'],
    ['function_call', 'tool-calls'],
    ['eos', 'other'],
  ] as const)('%s → %s, keeping the raw word', (raw, unified) => {
    expect(mapOpenAIFinishReason(raw)).toEqual({ unified, raw });
  });

  it('a missing reason is other', () => {
    expect(mapOpenAIFinishReason(null)).toEqual({ unified: 'other' });
  });
});

describe('convertToOpenAIMessages', () => {
  it('converts system, text, images, tool calls and tool results', () => {
    const { messages, warnings } = convertToOpenAIMessages(
      [
        user('plain'),
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image', mediaType: 'image/png', data: 'iVBORw0K' },
            { type: 'image', mediaType: 'image/jpeg', url: 'https://example.com/cat.jpg' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'The user wants weather.' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Oslo' } },
            { type: 'tool-call', toolCallId: 'call_2', toolName: 'time', input: '{"tz":"CET"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', output: { tempC: 3 } },
            { type: 'tool-result', toolCallId: 'call_2', toolName: 'time', output: 'no such zone', isError: true },
          ],
        },
      ],
      'Be brief.',
    );
    expect(messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'plain' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
          { id: 'call_2', type: 'function', function: { name: 'time', arguments: '{"tz":"CET"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"tempC":3}' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Error: no such zone' },
    ]);
    expect(warnings).toEqual([{ type: 'unsupported', feature: 'reasoning-input', details: expect.any(String) }]);
  });

  it('uses a developer message when asked, and null content for a tool-call-only turn', () => {
    const { messages } = convertToOpenAIMessages(
      [{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'f', input: {} }] }],
      'sys',
      { systemRole: 'developer' },
    );
    expect(messages[0]).toEqual({ role: 'developer', content: 'sys' });
    expect(messages[1]).toMatchObject({ role: 'assistant', content: null });
  });
});

describe('prepareOpenAITools', () => {
  const tools = [{ name: 'weather', description: 'Weather', inputSchema: { type: 'object' } }];

  it('maps tools and every tool choice', () => {
    expect(prepareOpenAITools(tools, undefined)).toEqual({
      tools: [{ type: 'function', function: { name: 'weather', description: 'Weather', parameters: { type: 'object' } } }],
      warnings: [],
    });
    expect(prepareOpenAITools(tools, 'required').toolChoice).toBe('required');
    expect(prepareOpenAITools(tools, { type: 'tool', toolName: 'weather' }).toolChoice).toEqual({ type: 'function', function: { name: 'weather' } });
  });

  it('warns about a tool choice without tools or naming an unknown tool', () => {
    expect(prepareOpenAITools(undefined, 'auto')).toEqual({ warnings: [{ type: 'unsupported', feature: 'toolChoice', details: expect.any(String) }] });
    const unknown = prepareOpenAITools(tools, { type: 'tool', toolName: 'nope' });
    expect(unknown.toolChoice).toBe('auto');
    expect(unknown.warnings).toHaveLength(1);
  });
});

describe('convertToOpenAIRequest', () => {
  const base: CallOptions = { messages: [user('hi')] };

  it('passes a chat model its sampling settings, asks for usage, and warns only about topK', () => {
    const { body, warnings } = convertToOpenAIRequest(
      { ...base, maxOutputTokens: 100, temperature: 0.3, topP: 0.9, topK: 40, seed: 7, stop: ['\n\n'], responseFormat: { type: 'json' } },
      { modelId: 'gpt-4o-mini', provider: 'openai' },
    );
    expect(body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 100,
      temperature: 0.3,
      top_p: 0.9,
      seed: 7,
      stop: ['\n\n'],
      response_format: { type: 'json_object' },
    });
    expect(warnings).toEqual([{ type: 'unsupported', feature: 'topK', details: expect.any(String) }]);
  });

  it('gives a reasoning model max_completion_tokens and reasoning_effort, and drops sampling with warnings', () => {
    const { body, warnings } = convertToOpenAIRequest(
      { ...base, system: 'sys', maxOutputTokens: 2000, temperature: 0.2, topP: 0.5, reasoning: { effort: 'high', budgetTokens: 1000 } },
      { modelId: 'o3-mini', provider: 'openai' },
    );
    expect(body.max_completion_tokens).toBe(2000);
    expect(body.max_tokens).toBeUndefined();
    expect(body.temperature).toBeUndefined();
    expect(body.top_p).toBeUndefined();
    expect(body.reasoning_effort).toBe('high');
    expect(body.messages[0]).toEqual({ role: 'developer', content: 'sys' });
    expect(warnings.map((w) => (w.type === 'unsupported' ? w.feature : w.message))).toEqual(['temperature', 'topP', 'reasoning.budgetTokens']);
  });

  it('warns about reasoning options on a model without reasoning', () => {
    const { body, warnings } = convertToOpenAIRequest({ ...base, reasoning: { effort: 'low' } }, { modelId: 'gpt-4o', provider: 'openai' });
    expect(body.reasoning_effort).toBeUndefined();
    expect(warnings).toEqual([{ type: 'unsupported', feature: 'reasoning', details: expect.any(String) }]);
  });

  it('sends a JSON schema as structured output, or JSON mode with a warning where unsupported', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    const strict = convertToOpenAIRequest({ ...base, responseFormat: { type: 'json-schema', schema, name: 'answer' } }, { modelId: 'gpt-4o', provider: 'openai' });
    expect(strict.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema, strict: false } });
    const loose = convertToOpenAIRequest(
      { ...base, responseFormat: { type: 'json-schema', schema } },
      { modelId: 'x', provider: 'lab', compat: { supportsStructuredOutputs: false, includeUsage: false } },
    );
    expect(loose.body.response_format).toEqual({ type: 'json_object' });
    expect(loose.body.stream_options).toBeUndefined();
    expect(loose.warnings).toEqual([{ type: 'unsupported', feature: 'responseFormat.schema', details: expect.any(String) }]);
  });

  it('passes vendor extras from providerOptions without letting them turn streaming off', () => {
    const { body } = convertToOpenAIRequest(
      { ...base, providerOptions: { openai: { user: 'u-1', stream: false }, openrouter: { transforms: ['middle-out'] }, other: { ignored: true } } },
      { modelId: 'm', provider: 'openrouter' },
    );
    expect(body).toMatchObject({ user: 'u-1', transforms: ['middle-out'], stream: true });
    expect(body).not.toHaveProperty('ignored');
  });

  it('keeps at most four stop sequences and says so', () => {
    const { body, warnings } = convertToOpenAIRequest({ ...base, stop: ['a', 'b', 'c', 'd', 'e'] }, { modelId: 'gpt-4o', provider: 'openai' });
    expect(body.stop).toEqual(['a', 'b', 'c', 'd']);
    expect(warnings).toEqual([{ type: 'unsupported', feature: 'stop', details: expect.any(String) }]);
  });
});

describe('isOpenAIReasoningModel', () => {
  it.each([
    ['o1', true],
    ['o1-mini', true],
    ['o3', true],
    ['o4-mini', true],
    ['gpt-5', true],
    ['gpt-5-mini', true],
    ['openai/o3-mini', true],
    ['gpt-5-chat-latest', false],
    ['gpt-4o', false],
    ['o10-fake', false],
  ] as const)('%s → %s', (id, expected) => {
    expect(isOpenAIReasoningModel(id)).toBe(expected);
  });
});

describe('convertOpenAIError', () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);
  const apiError = (status: number, body: unknown, h: Record<string, string> = {}) => APIError.generate(status, body as object, undefined, headers(h));

  it.each([
    [400, {}, 'bad_request', false],
    [400, { error: { message: "This model's maximum context length is 128000 tokens.", code: 'context_length_exceeded' } }, 'context_length', false],
    [401, {}, 'auth', false],
    [402, {}, 'budget', false],
    [403, {}, 'auth', false],
    [404, {}, 'not_found', false],
    [408, {}, 'timeout', true],
    [409, {}, 'server', true],
    [413, {}, 'bad_request', false],
    [413, { error: { message: 'Request too large: too many tokens for the context length' } }, 'context_length', false],
    [422, {}, 'bad_request', false],
    [429, {}, 'rate_limit', true],
    [429, { error: { message: 'You exceeded your current quota', code: 'insufficient_quota' } }, 'budget', false],
    [500, {}, 'server', true],
    [502, {}, 'server', true],
    [503, {}, 'server', true],
  ] as const)('HTTP %i %j → %s (retryable %s)', (status, body, kind, retryable) => {
    const error = convertOpenAIError(apiError(status, body), { provider: 'openai' });
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.provider).toBe('openai');
  });

  it('reads retry-after-ms before retry-after, as seconds or an HTTP-date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(headers({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(headers({ 'retry-after': '1.5' }))).toBe(1500);
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250.4', 'retry-after': '3' }))).toBe(250);
    expect(parseRetryAfter(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:20 GMT' }), now)).toBe(20_000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(headers({}))).toBeUndefined();
    const error = convertOpenAIError(apiError(429, {}, { 'retry-after': '12' }), { provider: 'openai' });
    expect(error.retryAfterMs).toBe(12_000);
  });

  it('maps the SDK connection, timeout and abort errors', () => {
    expect(convertOpenAIError(new APIConnectionTimeoutError(), { provider: 'openai' }).kind).toBe('timeout');
    expect(convertOpenAIError(new APIConnectionError({ cause: new TypeError('fetch failed') }), { provider: 'openai' }).kind).toBe('connection');
    expect(convertOpenAIError(new APIUserAbortError(), { provider: 'openai' })).toMatchObject({ kind: 'aborted', retryable: false });
    expect(convertOpenAIError(new TypeError('terminated'), { provider: 'openai' }).kind).toBe('connection');
    expect(convertOpenAIError(new SyntaxError('Unexpected token'), { provider: 'openai' }).kind).toBe('server');
    const inStream = convertOpenAIError(new APIError(undefined, { message: 'overloaded', type: 'server_error' }, undefined, undefined), { provider: 'openai' });
    expect(inStream).toMatchObject({ kind: 'server', status: undefined, retryable: true });
  });

  it('never repeats a key, even one the provider echoes, and names the provider', () => {
    const key = 'sk-proj-SECRET-abcdefghijklmnop';
    const error = convertOpenAIError(apiError(401, { error: { message: `Incorrect API key provided: ${key}.`, code: 'invalid_api_key' } }), {
      provider: 'openrouter',
      apiKey: key,
    });
    expect(error.message).not.toContain(key);
    expect(error.message).toContain('OpenRouter answered HTTP 401');
    expect(error.message).toContain('invalid_api_key');
    expect(scrub('key sk-abcdefghijkl1234 and sk-short')).toBe('key sk-…[redacted] and sk-short');
  });

  it('kindOf works from the provider code alone', () => {
    expect(kindOf(undefined, 'context_length_exceeded')).toBe('context_length');
    expect(kindOf(400, 'content_policy_violation')).toBe('content_filter');
    expect(kindOf(418)).toBe('bad_request');
  });
});
