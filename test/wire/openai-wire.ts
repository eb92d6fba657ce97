import type { ServerResponse } from 'node:http';
import { type WireHandlerContext, type WireProtocol, sseEvent, startWireServer } from './harness';
import type { Scenario, WireServer } from './scenario';

/**
 * OpenAI's wire format, written from the API reference (chat completions streaming, embeddings,
 * images, moderations, models):
 * - `POST /v1/chat/completions` with `stream: true`: SSE `data: {chat.completion.chunk}` events, the
 *   first carrying `delta.role`, tool calls as `delta.tool_calls[]` keyed by `index` (id and name in
 *   the first delta, arguments in pieces), a chunk with `finish_reason`, then — only when the
 *   request asked `stream_options.include_usage` — a chunk with `choices: []` and `usage`, and
 *   finally `data: [DONE]`. Reasoning is streamed as `delta.reasoning_content` (DeepSeek and most
 *   OpenAI-compatible servers). Without `stream`, one `chat.completion` object.
 * - Errors: `{ error: { message, type, param, code } }`.
 * - `GET /v1/models`, `POST /v1/embeddings` (float or base64 `encoding_format`),
 *   `POST /v1/images/generations` (`b64_json` or `url`), `POST /v1/moderations`.
 */
export const openAIProtocol: WireProtocol = {
  streamContentType: 'text/event-stream; charset=utf-8',
  malformedEvent: 'data: {"id":"chatcmpl-broken","choices":[{"delta":{"content":\n\n',
  errorBody(status, message) {
    return { error: { message, type: ERROR_TYPES[status] ?? 'invalid_request_error', param: null, code: ERROR_CODES[status] ?? null } };
  },
  async handle(ctx) {
    const path = (ctx.req.url ?? '/').split('?')[0] ?? '/';
    if (ctx.req.method === 'GET' && path.endsWith('/models')) return json(ctx.res, 200, MODEL_LIST);
    if (ctx.req.method !== 'POST') return json(ctx.res, 405, openAIProtocol.errorBody(405, `${ctx.req.method} not allowed`));
    if (path.endsWith('/chat/completions')) return chatCompletions(ctx);
    if (path.endsWith('/embeddings')) return embeddings(ctx);
    if (path.endsWith('/images/generations')) return imageGenerations(ctx);
    if (path.endsWith('/moderations')) return moderations(ctx);
    return json(ctx.res, 404, openAIProtocol.errorBody(404, `Unknown request URL: POST ${path}`));
  },
};

const ERROR_TYPES: Record<number, string> = {
  401: 'invalid_request_error',
  403: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'requests',
  500: 'server_error',
  503: 'server_error',
};
const ERROR_CODES: Record<number, string> = { 401: 'invalid_api_key', 404: 'model_not_found', 429: 'rate_limit_exceeded' };

export const WIRE_MODELS = ['gpt-4o-mini', 'gpt-4o', 'o3-mini', 'text-embedding-3-small', 'gpt-image-1', 'omni-moderation-latest'];
const MODEL_LIST = {
  object: 'list',
  data: WIRE_MODELS.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' })),
};

/** A 1×1 PNG, base64: what the image route answers. */
export const WIRE_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** Starts an OpenAI wire server; its `baseURL` ends with `/v1`. */
export async function startOpenAIWire(): Promise<WireServer> {
  const server = await startWireServer(openAIProtocol, '/v1');
  return { baseURL: server.baseURL, requests: server.requests, enqueue: server.enqueue, close: server.close };
}

interface ChatRequest {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
}

let sequence = 0;

async function chatCompletions(ctx: WireHandlerContext): Promise<void> {
  const request = (isObject(ctx.body) ? ctx.body : {}) as ChatRequest;
  const { scenario } = ctx;
  const id = `chatcmpl-wire-${++sequence}`;
  const model = request.model ?? 'gpt-4o-mini';
  const created = Math.floor(Date.now() / 1000);
  const finishReason = FINISH[scenario.finish ?? (scenario.toolCalls?.length ? 'tool-calls' : 'stop')];

  if (request.stream !== true) {
    const message: Record<string, unknown> = { role: 'assistant', content: scenario.text?.join('') ?? null, refusal: null };
    if (scenario.reasoning) message.reasoning_content = scenario.reasoning.join('');
    if (scenario.toolCalls?.length) {
      message.tool_calls = scenario.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    }
    const body: Record<string, unknown> = {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    };
    if (scenario.usage) body.usage = usageOf(scenario);
    return json(ctx.res, 200, body);
  }

  ctx.res.writeHead(200, { 'content-type': openAIProtocol.streamContentType, 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
    sseEvent({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: 'fp_wire',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...extra,
    });
  const includeUsage = request.stream_options?.include_usage === true;
  const usageNull = includeUsage ? { usage: null } : {};

  const events: string[] = [];
  const texts = scenario.text ?? [];
  const reasonings = scenario.reasoning ?? [];
  // The first chunk names the role; it carries the first piece of content, if any.
  const first = reasonings.length > 0 ? { role: 'assistant', content: null, reasoning_content: reasonings[0] } : { role: 'assistant', content: texts[0] ?? '' };
  events.push(chunk(first, null, usageNull));
  for (const piece of reasonings.slice(1)) events.push(chunk({ reasoning_content: piece }, null, usageNull));
  for (const piece of reasonings.length > 0 ? texts : texts.slice(1)) events.push(chunk({ content: piece }, null, usageNull));
  (scenario.toolCalls ?? []).forEach((call, index) => {
    events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, null, usageNull));
    for (let at = 0; at < call.arguments.length; at += 7) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(at, at + 7) } }] }, null, usageNull));
    }
  });
  events.push(chunk({}, finishReason, usageNull));
  if (includeUsage && scenario.usage) {
    events.push(sseEvent({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_wire', choices: [], usage: usageOf(scenario) }));
  }
  events.push(sseEvent('[DONE]'));
  const cutting = ctx.scenario.fault?.kind === 'cut';
  for (const [i, event] of events.entries()) {
    // Node corks a response's writes until the next tick. Let them reach the socket before a `cut`
    // fault destroys it (or the client would see no bytes at all), and let the first event out on
    // its own so time to first token means something.
    if (cutting || i === 1) await new Promise((resolve) => setImmediate(resolve));
    if (!(await ctx.emit(event))) return;
  }
  ctx.res.end();
}

const FINISH: Record<NonNullable<Scenario['finish']>, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
};

/** OpenAI's usage object; a count the scenario leaves out is left out here too. */
function usageOf(scenario: Scenario): Record<string, unknown> {
  const u = scenario.usage ?? {};
  const usage: Record<string, unknown> = {};
  if (u.input !== undefined) usage.prompt_tokens = u.input;
  if (u.output !== undefined) usage.completion_tokens = u.output;
  if (u.input !== undefined && u.output !== undefined) usage.total_tokens = u.input + u.output;
  if (u.cacheRead !== undefined) usage.prompt_tokens_details = { cached_tokens: u.cacheRead };
  if (u.reasoning !== undefined) usage.completion_tokens_details = { reasoning_tokens: u.reasoning };
  // OpenRouter reports the cost of the call in usage.
  if (u.costUsd !== undefined) usage.cost = u.costUsd;
  return usage;
}

async function embeddings(ctx: WireHandlerContext): Promise<void> {
  const body = (isObject(ctx.body) ? ctx.body : {}) as { model?: string; input?: unknown; dimensions?: number; encoding_format?: string };
  const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')];
  const dims = body.dimensions ?? 8;
  const tokens = inputs.reduce((sum, text) => sum + countWords(text), 0);
  json(ctx.res, 200, {
    object: 'list',
    model: body.model ?? 'text-embedding-3-small',
    data: inputs.map((text, index) => {
      const vector = embedText(text, dims);
      return { object: 'embedding', index, embedding: body.encoding_format === 'base64' ? toBase64Floats(vector) : vector };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

/** A deterministic unit vector per text, so tests can compare equal inputs. */
export function embedText(text: string, dims: number): number[] {
  const vector = Array.from({ length: dims }, (_, i) => {
    let h = 2166136261 ^ i;
    for (let c = 0; c < text.length; c++) h = Math.imul(h ^ text.charCodeAt(c), 16777619);
    return ((h >>> 0) % 2000) / 1000 - 1;
  });
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => Math.fround(v / norm));
}

function toBase64Floats(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

async function imageGenerations(ctx: WireHandlerContext): Promise<void> {
  const body = (isObject(ctx.body) ? ctx.body : {}) as { prompt?: string; n?: number; response_format?: string; model?: string };
  const n = body.n ?? 1;
  const data = Array.from({ length: n }, () =>
    body.response_format === 'url'
      ? { url: `https://images.example.invalid/${++sequence}.png`, revised_prompt: body.prompt }
      : { b64_json: WIRE_PNG, revised_prompt: body.prompt },
  );
  const answer: Record<string, unknown> = { created: Math.floor(Date.now() / 1000), data };
  if (body.model?.startsWith('gpt-image')) {
    answer.usage = { input_tokens: countWords(body.prompt ?? ''), output_tokens: 272 * n, total_tokens: countWords(body.prompt ?? '') + 272 * n };
  }
  json(ctx.res, 200, answer);
}

const MODERATION_CATEGORIES: Record<string, RegExp> = {
  harassment: /\b(idiot|stupid)\b/i,
  hate: /\bhate\b/i,
  'self-harm': /\bhurt myself\b/i,
  sexual: /\bexplicit\b/i,
  violence: /\b(kill|attack)\b/i,
};

async function moderations(ctx: WireHandlerContext): Promise<void> {
  const body = (isObject(ctx.body) ? ctx.body : {}) as { input?: unknown; model?: string };
  const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')];
  json(ctx.res, 200, {
    id: `modr-wire-${++sequence}`,
    model: body.model ?? 'omni-moderation-latest',
    results: inputs.map((text) => {
      const categories: Record<string, boolean> = {};
      const scores: Record<string, number> = {};
      for (const [name, pattern] of Object.entries(MODERATION_CATEGORIES)) {
        categories[name] = pattern.test(text);
        scores[name] = categories[name] ? 0.93 : 0.001;
      }
      return { flagged: Object.values(categories).some(Boolean), categories, category_scores: scores };
    }),
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
