import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../shared/llm';
import { mapAnthropicError, parseRetryAfter } from './anthropic-error';
import { convertAnthropicUsage } from './convert-anthropic-usage';
import { normalizeBaseURL } from './create-anthropic';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason';
import { anthropicThinkingModeFor, prepareAnthropicThinking } from './prepare-anthropic-thinking';
import { prepareAnthropicTools } from './prepare-anthropic-tools';

const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });

describe('mapAnthropicStopReason', () => {
  it('maps every documented stop reason and keeps the raw word', () => {
    expect(mapAnthropicStopReason('end_turn')).toEqual({ unified: 'stop', raw: 'end_turn' });
    expect(mapAnthropicStopReason('stop_sequence')).toEqual({ unified: 'stop', raw: 'stop_sequence' });
    expect(mapAnthropicStopReason('max_tokens')).toEqual({ unified: 'length', raw: 'max_tokens' });
    expect(mapAnthropicStopReason('model_context_window_exceeded')).toEqual({ unified: 'length', raw: 'model_context_window_exceeded' });
    expect(mapAnthropicStopReason('tool_use')).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(mapAnthropicStopReason('refusal')).toEqual({ unified: 'content-filter', raw: 'refusal' });
    expect(mapAnthropicStopReason('pause_turn')).toEqual({ unified: 'other', raw: 'pause_turn' });
    expect(mapAnthropicStopReason(null)).toEqual({ unified: 'other' });
  });
});

describe('convertAnthropicUsage', () => {
  it('adds cache reads and writes to the uncached input to get the whole prompt', () => {
    // A 2,000-token prompt: 1,500 read from the cache, 400 written to it, 100 neither.
    const usage = convertAnthropicUsage({ input_tokens: 100, cache_read_input_tokens: 1500, cache_creation_input_tokens: 400, output_tokens: 250 });
    expect(usage.inputTokens).toEqual({ total: 2000, noCache: 100, cacheRead: 1500, cacheWrite: 400 });
    expect(usage.outputTokens).toEqual({ total: 250, text: 250, reasoning: undefined });
  });

  it('keeps unreported cache counts undefined, not 0', () => {
    const usage = convertAnthropicUsage({ input_tokens: 12, cache_read_input_tokens: null, output_tokens: 7 });
    expect(usage.inputTokens).toEqual({ total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined });
  });

  it('splits thinking from text when the thinking count is reported', () => {
    const usage = convertAnthropicUsage({ input_tokens: 5, output_tokens: 300, output_tokens_details: { thinking_tokens: 220 } }, { sawReasoning: true });
    expect(usage.outputTokens).toEqual({ total: 300, text: 80, reasoning: 220 });
  });

  it('leaves the text share unknown when there was thinking but no count for it', () => {
    const usage = convertAnthropicUsage({ input_tokens: 5, output_tokens: 300 }, { sawReasoning: true });
    expect(usage.outputTokens).toEqual({ total: 300, text: undefined, reasoning: undefined });
  });

  it('leaves everything undefined when nothing was reported', () => {
    const usage = convertAnthropicUsage({});
    expect(usage.inputTokens).toEqual({ total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined });
    expect(usage.outputTokens).toEqual({ total: undefined, text: undefined, reasoning: undefined });
  });
});

describe('convertToAnthropicMessages', () => {
  it('puts the system prompt at the top level and images as base64 or URL sources', () => {
    const prompt = convertToAnthropicMessages(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
            { type: 'image', mediaType: 'image/jpeg', url: 'https://example.com/cat.jpg' },
          ],
        },
      ],
      'You are terse.',
    );
    expect(prompt.system).toBe('You are terse.');
    expect(prompt.warnings).toEqual([]);
    expect(prompt.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('turns tool calls into tool_use and results into user tool_result blocks, merging same-role turns', () => {
    const prompt = convertToAnthropicMessages([
      user('Weather in Paris and Rome?'),
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool-call', toolCallId: 'toolu_2', toolName: 'get_weather', input: '{"city":"Rome"}' },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'toolu_1', toolName: 'get_weather', output: 'sunny' },
          { type: 'tool-result', toolCallId: 'toolu_2', toolName: 'get_weather', output: { error: 'no station' }, isError: true },
        ],
      },
      user('And tomorrow?'),
    ]);
    expect(prompt.system).toBeUndefined();
    expect(prompt.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: '{"error":"no station"}', is_error: true },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ]);
  });

  it('merges consecutive user turns and drops empty text', () => {
    const prompt = convertToAnthropicMessages([user('one'), user(''), user('two')]);
    expect(prompt.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] }]);
  });

  it('leaves out earlier reasoning and unsupported image types, with warnings', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', mediaType: 'image/tiff', data: 'AAAA' }] },
      { role: 'assistant', content: [{ type: 'reasoning', text: 'hmm' }, { type: 'text', text: 'hello' }] },
    ]);
    expect(prompt.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
    ]);
    expect(prompt.warnings.map((w) => (w.type === 'unsupported' ? w.feature : w.message))).toEqual(['image-media-type', 'reasoning-input']);
  });
});

describe('prepareAnthropicTools', () => {
  const tools = [
    { name: 'get_weather', description: 'Weather in a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
    { name: 'now', inputSchema: {} },
  ];

  it('maps tools to input_schema objects', () => {
    const prepared = prepareAnthropicTools(tools, undefined);
    expect(prepared.tools).toEqual([
      { name: 'get_weather', description: 'Weather in a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'now', input_schema: { type: 'object' } },
    ]);
    expect(prepared.tool_choice).toBeUndefined();
    expect(prepared.warnings).toEqual([]);
  });

  it('maps each tool choice', () => {
    expect(prepareAnthropicTools(tools, 'auto').tool_choice).toEqual({ type: 'auto' });
    expect(prepareAnthropicTools(tools, 'required').tool_choice).toEqual({ type: 'any' });
    expect(prepareAnthropicTools(tools, 'none').tool_choice).toEqual({ type: 'none' });
    expect(prepareAnthropicTools(tools, { type: 'tool', toolName: 'now' }).tool_choice).toEqual({ type: 'tool', name: 'now' });
  });

  it('sends nothing without tools and warns about a forced choice', () => {
    expect(prepareAnthropicTools([], 'none')).toEqual({ warnings: [] });
    expect(prepareAnthropicTools(undefined, 'required').warnings).toEqual([{ type: 'unsupported', feature: 'toolChoice', details: expect.any(String) }]);
  });
});

describe('prepareAnthropicThinking', () => {
  it('defaults max_tokens when the caller gives none, with no thinking', () => {
    expect(prepareAnthropicThinking(undefined, undefined)).toEqual({ max_tokens: 4096, warnings: [] });
    expect(prepareAnthropicThinking(undefined, 200)).toEqual({ max_tokens: 200, warnings: [] });
  });

  it('enables thinking with the budget and adds the budget to max_tokens', () => {
    expect(prepareAnthropicThinking({ budgetTokens: 2000 }, 500)).toEqual({
      thinking: { type: 'enabled', budget_tokens: 2000 },
      max_tokens: 2500,
      warnings: [],
    });
  });

  it('maps an effort to a budget', () => {
    expect(prepareAnthropicThinking({ effort: 'low' }, undefined).thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(prepareAnthropicThinking({ effort: 'medium' }, undefined)).toMatchObject({ thinking: { budget_tokens: 4096 }, max_tokens: 8192 });
    expect(prepareAnthropicThinking({ effort: 'high' }, 1000)).toMatchObject({ thinking: { budget_tokens: 16384 }, max_tokens: 17384 });
  });

  it("raises a budget under Anthropic's minimum, with a warning", () => {
    const prepared = prepareAnthropicThinking({ budgetTokens: 100 }, 100);
    expect(prepared.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(prepared.warnings).toHaveLength(1);
  });

  it('uses adaptive thinking with the effort in output_config when asked', () => {
    expect(prepareAnthropicThinking({ effort: 'high' }, 800, 'adaptive')).toEqual({ thinking: { type: 'adaptive' }, effort: 'high', max_tokens: 800, warnings: [] });
    expect(prepareAnthropicThinking({ budgetTokens: 3000 }, 800, 'adaptive').warnings).toEqual([
      { type: 'unsupported', feature: 'reasoning.budgetTokens', details: expect.any(String) },
    ]);
  });
});

describe('anthropicThinkingModeFor', () => {
  it('gives budget thinking to models before 4.7 and adaptive thinking from 4.7 and the 5 family on', () => {
    for (const id of ['claude-3-7-sonnet-latest', 'claude-sonnet-4-5', 'claude-haiku-4-5-20251001', 'claude-opus-4-1', 'claude-opus-4-6', 'claude-sonnet-4-20250514']) {
      expect(anthropicThinkingModeFor(id), id).toBe('budget');
    }
    for (const id of ['claude-opus-4-7', 'claude-opus-4-8', 'claude-sonnet-5', 'claude-fable-5-2', 'claude-opus-5-5', 'claude-haiku-5-5']) {
      expect(anthropicThinkingModeFor(id), id).toBe('adaptive');
    }
    expect(anthropicThinkingModeFor('my-proxy-alias')).toBe('budget');
  });
});

describe('mapAnthropicError', () => {
  const ctx = { provider: 'anthropic', secrets: ['sk-ant-secret-123'] };
  const headers = (init: Record<string, string> = {}) => new Headers(init);
  const statusError = (status: number, type: string, message: string, init?: Record<string, string>) =>
    APIError.generate(status, { type: 'error', error: { type, message } }, undefined, headers(init));

  it.each([
    [401, 'authentication_error', 'auth', false],
    [403, 'permission_error', 'auth', false],
    [404, 'not_found_error', 'not_found', false],
    [408, 'timeout_error', 'timeout', true],
    [413, 'request_too_large', 'bad_request', false],
    [429, 'rate_limit_error', 'rate_limit', true],
    [500, 'api_error', 'server', true],
    [529, 'overloaded_error', 'server', true],
    [400, 'invalid_request_error', 'bad_request', false],
  ] as const)('HTTP %i %s → %s', (status, type, kind, retryable) => {
    const error = mapAnthropicError(statusError(status, type, 'something'), ctx);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(error.provider).toBe('anthropic');
    expect(error.message).toBe(`Anthropic ${status} ${type}: something`);
  });

  it('reads a prompt-too-long 400 as context_length', () => {
    const error = mapAnthropicError(statusError(400, 'invalid_request_error', 'prompt is too long: 210345 tokens > 200000 maximum'), ctx);
    expect(error.kind).toBe('context_length');
    expect(error.retryable).toBe(false);
  });

  it('takes Retry-After from a 429', () => {
    expect(mapAnthropicError(statusError(429, 'rate_limit_error', 'slow down', { 'retry-after': '12' }), ctx).retryAfterMs).toBe(12_000);
    expect(mapAnthropicError(statusError(429, 'rate_limit_error', 'slow down'), ctx).retryAfterMs).toBeUndefined();
  });

  it('reads Retry-After as seconds, milliseconds or a date', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '1.5' }))).toBe(1500);
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter(headers({ 'retry-after': 'Mon, 23 Nov 2026 10:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }))).toBeUndefined();
  });

  it('maps a streamed error event by its type: overloaded is a retryable server error', () => {
    const streamed = new APIError(undefined, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined, headers(), 'overloaded_error');
    const error = mapAnthropicError(streamed, ctx);
    expect(error).toMatchObject({ kind: 'server', retryable: true, status: undefined });
    expect(error.message).toContain('overloaded_error');
  });

  it('maps connection failures, timeouts, aborts and bad JSON', () => {
    expect(mapAnthropicError(new APIConnectionError({ message: 'Connection error.' }), ctx).kind).toBe('connection');
    expect(mapAnthropicError(new APIConnectionTimeoutError(), ctx)).toMatchObject({ kind: 'timeout', retryable: true });
    expect(mapAnthropicError(new APIUserAbortError(), ctx)).toMatchObject({ kind: 'aborted', retryable: false });
    expect(mapAnthropicError(new SyntaxError('Unexpected end of JSON input'), ctx).kind).toBe('server');
    expect(mapAnthropicError(new TypeError('terminated'), ctx).kind).toBe('connection');
    const aborted = new AbortController();
    aborted.abort();
    expect(mapAnthropicError(new TypeError('terminated'), { ...ctx, abortSignal: aborted.signal }).kind).toBe('aborted');
  });

  it('never repeats the key, even when the provider echoes it', () => {
    const error = mapAnthropicError(statusError(401, 'authentication_error', 'invalid x-api-key sk-ant-secret-123'), ctx);
    expect(error.message).not.toContain('sk-ant-secret-123');
    const other = mapAnthropicError(statusError(401, 'authentication_error', 'bad key sk-ant-api03-abcDEF_123'), { provider: 'anthropic' });
    expect(other.message).not.toContain('abcDEF_123');
  });
});

describe('normalizeBaseURL', () => {
  it('drops trailing slashes and an OpenAI-style /v1, since the SDK adds /v1 itself', () => {
    expect(normalizeBaseURL('https://api.anthropic.com')).toBe('https://api.anthropic.com');
    expect(normalizeBaseURL('https://api.anthropic.com/v1/')).toBe('https://api.anthropic.com');
    expect(normalizeBaseURL('http://gateway:8080/anthropic/v1')).toBe('http://gateway:8080/anthropic');
    expect(normalizeBaseURL('  ')).toBeUndefined();
    expect(normalizeBaseURL(undefined)).toBeUndefined();
  });
});
