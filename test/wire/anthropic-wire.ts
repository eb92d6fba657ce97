import { type WireHandlerContext, type WireProtocol, sseEvent, startWireServer } from './harness';
import type { Scenario, WireServer } from './scenario';

/**
 * Anthropic's Messages API (anthropic-version 2026-10-21) as a wire protocol, written from the
 * documented streaming format: named SSE events `message_start`, `content_block_start`,
 * `content_block_delta` (text_delta, thinking_delta, signature_delta, input_json_delta),
 * `content_block_stop`, `message_delta`, `message_stop`, `ping`, and `error`.
 *
 * Routes: `POST /v1/messages` (streaming and not), `POST /v1/messages/count_tokens`, `GET /v1/models`.
 *
 * Usage: the scenario's `input` is the whole prompt. Anthropic reports the part that was neither
 * read from nor written to the cache as `input_tokens`, so the server sends
 * `input_tokens = input - cacheRead - cacheWrite`, and the two cache counts beside it.
 */

/** Anthropic-only additions to a scenario. */
export interface AnthropicScenario extends Scenario {
  /** After this many stream events, send `event: error` with this error type and end the stream. */
  streamError?: { afterEvents: number; type?: 'overloaded_error' | 'api_error' | 'rate_limit_error'; message?: string };
  /** The `input_tokens` count_tokens answers (otherwise `usage.input`, otherwise an estimate). */
  countTokens?: number;
  /** Text of a stop sequence reported with `stop_sequence` (finish `stop`). */
  stopSequence?: string;
}

export const ANTHROPIC_WIRE_MODELS = [
  { id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6', created_at: '2026-02-17T00:00:00Z' },
  { id: 'claude-haiku-4-5', display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00Z' },
];

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};

export function anthropicErrorBody(status: number, message: string): { type: 'error'; error: { type: string; message: string } } {
  return { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } };
}

const STOP_REASONS = { stop: 'end_turn', length: 'max_tokens', 'tool-calls': 'tool_use', 'content-filter': 'refusal' } as const;

function stopReason(scenario: AnthropicScenario): string {
  if (scenario.finish !== undefined) return STOP_REASONS[scenario.finish];
  return (scenario.toolCalls?.length ?? 0) > 0 ? 'tool_use' : 'end_turn';
}

function modelOf(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string') return body.model;
  return 'claude-wire';
}

function isStreaming(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'stream' in body && body.stream === true;
}

/** `usage` of `message_start` (and of a whole message): what is known of the input. */
function inputUsage(scenario: AnthropicScenario): Record<string, number> {
  const u = scenario.usage ?? {};
  const usage: Record<string, number> = {};
  if (u.input !== undefined) usage.input_tokens = Math.max(0, u.input - (u.cacheRead ?? 0) - (u.cacheWrite ?? 0));
  if (u.cacheWrite !== undefined) usage.cache_creation_input_tokens = u.cacheWrite;
  if (u.cacheRead !== undefined) usage.cache_read_input_tokens = u.cacheRead;
  return usage;
}

function outputUsage(scenario: AnthropicScenario): Record<string, unknown> {
  const u = scenario.usage ?? {};
  const usage: Record<string, unknown> = {};
  if (u.output !== undefined) usage.output_tokens = u.output;
  if (u.reasoning !== undefined) usage.output_tokens_details = { thinking_tokens: u.reasoning };
  return usage;
}

/** Splits a tool's JSON arguments in two, the way partial JSON arrives. */
function splitJson(text: string): string[] {
  if (text.length < 2) return [text];
  const mid = Math.floor(text.length / 2);
  return [text.slice(0, mid), text.slice(mid)];
}

const SIGNATURE = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds';

/** The stream of one scenario, as SSE event strings in order. */
export function anthropicStreamEvents(scenario: AnthropicScenario, model: string, id = 'msg_01WireStream'): string[] {
  const events: string[] = [];
  const send = (type: string, data: Record<string, unknown>) => events.push(sseEvent({ type, ...data }, type));
  send('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // Anthropic reports a first output count here and the final one in message_delta.
      usage: { ...inputUsage(scenario), output_tokens: 1 },
    },
  });
  events.push(sseEvent({ type: 'ping' }, 'ping'));
  let index = 0;
  if (scenario.reasoning !== undefined && scenario.reasoning.length > 0) {
    send('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
    for (const delta of scenario.reasoning) send('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: delta } });
    send('content_block_delta', { index, delta: { type: 'signature_delta', signature: SIGNATURE } });
    send('content_block_stop', { index });
    index += 1;
  }
  if (scenario.text !== undefined && scenario.text.length > 0) {
    send('content_block_start', { index, content_block: { type: 'text', text: '' } });
    for (const delta of scenario.text) send('content_block_delta', { index, delta: { type: 'text_delta', text: delta } });
    send('content_block_stop', { index });
    index += 1;
  }
  for (const call of scenario.toolCalls ?? []) {
    send('content_block_start', { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } });
    for (const part of splitJson(call.arguments)) send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
    send('content_block_stop', { index });
    index += 1;
  }
  const stop = stopReason(scenario);
  send('message_delta', {
    delta:
      scenario.stopSequence !== undefined
        ? { stop_reason: 'stop_sequence', stop_sequence: scenario.stopSequence }
        : { stop_reason: stop, stop_sequence: null },
    usage: outputUsage(scenario),
  });
  send('message_stop', {});
  return events;
}

/** The same scenario as one non-streaming Message. */
export function anthropicMessage(scenario: AnthropicScenario, model: string, id = 'msg_01WireMessage'): Record<string, unknown> {
  const content: Array<Record<string, unknown>> = [];
  if (scenario.reasoning !== undefined && scenario.reasoning.length > 0) {
    content.push({ type: 'thinking', thinking: scenario.reasoning.join(''), signature: SIGNATURE });
  }
  if (scenario.text !== undefined && scenario.text.length > 0) content.push({ type: 'text', text: scenario.text.join('') });
  for (const call of scenario.toolCalls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) as unknown });
  }
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: scenario.stopSequence !== undefined ? 'stop_sequence' : stopReason(scenario),
    stop_sequence: scenario.stopSequence ?? null,
    usage: { ...inputUsage(scenario), ...outputUsage(scenario) },
  };
}

/** A rough count for count_tokens when the scenario does not script one: four characters a token. */
function estimateTokens(body: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(body ?? '').length / 4));
}

function json(ctx: WireHandlerContext, status: number, body: unknown): void {
  ctx.res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_wire' });
  ctx.res.end(JSON.stringify(body));
}

async function streamScenario(ctx: WireHandlerContext, scenario: AnthropicScenario): Promise<void> {
  ctx.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': 'req_wire' });
  const events = anthropicStreamEvents(scenario, modelOf(ctx.body));
  const errorAt = scenario.streamError?.afterEvents;
  for (const [i, event] of events.entries()) {
    if (errorAt !== undefined && i === errorAt) {
      const type = scenario.streamError?.type ?? 'overloaded_error';
      const message = scenario.streamError?.message ?? (type === 'overloaded_error' ? 'Overloaded' : 'Internal server error');
      await ctx.emit(sseEvent({ type: 'error', error: { type, message } }, 'error'));
      ctx.res.end();
      return;
    }
    // Let Node uncork the socket between events: a `cut` destroys the socket right after an
    // emit, and writes still corked in the same tick would be dropped with it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!(await ctx.emit(event))) return;
  }
  ctx.res.end();
}

export const anthropicWire: WireProtocol = {
  streamContentType: 'text/event-stream',
  malformedEvent: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta",\n\n',
  errorBody: anthropicErrorBody,
  async handle(ctx) {
    const scenario: AnthropicScenario = ctx.scenario;
    const method = ctx.req.method ?? 'GET';
    const path = (ctx.req.url ?? '/').split('?')[0];
    if (method === 'POST' && path === '/v1/messages') {
      if (isStreaming(ctx.body)) return streamScenario(ctx, scenario);
      return json(ctx, 200, anthropicMessage(scenario, modelOf(ctx.body)));
    }
    if (method === 'POST' && path === '/v1/messages/count_tokens') {
      return json(ctx, 200, { input_tokens: scenario.countTokens ?? scenario.usage?.input ?? estimateTokens(ctx.body) });
    }
    if (method === 'GET' && path === '/v1/models') {
      const data = ANTHROPIC_WIRE_MODELS.map((m) => ({ type: 'model', ...m }));
      return json(ctx, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    }
    return json(ctx, 404, anthropicErrorBody(404, `no route for ${method} ${path}`));
  },
};

/** An Anthropic wire server on 127.0.0.1; give its `baseURL` to the SDK (which appends `/v1/...`). */
export async function startAnthropicWire(): Promise<WireServer> {
  return startWireServer(anthropicWire, '');
}
