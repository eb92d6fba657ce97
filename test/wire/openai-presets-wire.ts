import type { ServerResponse } from 'node:http';
import { type WireProtocol, startWireServer } from './harness';
import { openAIProtocol } from './openai-wire';
import type { RecordedRequest, Scenario } from './scenario';

/**
 * The OpenAI wire server with what the OpenAI-protocol presets add, from their documentation:
 * - OpenRouter (`/api/v1`): `GET /api/v1/models` with `pricing` (USD per token, as strings),
 *   `context_length`, `top_provider`, `architecture` and `supported_parameters`;
 *   `GET /api/v1/credits` → `{ data: { total_credits, total_usage } }`. The usage `cost` comes
 *   from the OpenAI wire's `usage.costUsd`.
 * - DeepSeek (`usageDialect: 'deepseek'`): the usage object reports the context cache as
 *   `prompt_cache_hit_tokens` / `prompt_cache_miss_tokens` instead of `prompt_tokens_details`.
 * Everything else (chat streaming, faults, Azure's `/openai/deployments/<d>/chat/completions`)
 * is the OpenAI wire's.
 */
export interface PresetsWire {
  /** `http://127.0.0.1:PORT`, no path. */
  origin: string;
  requests: RecordedRequest[];
  enqueue(...scenarios: Scenario[]): void;
  close(): Promise<void>;
}

export interface PresetsWireOptions {
  usageDialect?: 'openai' | 'deepseek';
  credits?: { total_credits: number; total_usage: number };
}

export const OPENROUTER_WIRE_MODELS = [
  {
    id: 'openai/gpt-4o-mini',
    name: 'OpenAI: GPT-4o-mini',
    context_length: 128000,
    architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] },
    pricing: { prompt: '0.00000015', completion: '0.0000006', request: '0', image: '0.000217', input_cache_read: '0.000000075' },
    top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true },
    supported_parameters: ['max_tokens', 'temperature', 'top_p', 'tools', 'tool_choice', 'response_format', 'structured_outputs'],
  },
  {
    id: 'deepseek/deepseek-r1',
    name: 'DeepSeek: R1',
    context_length: 163840,
    architecture: { input_modalities: ['text'], output_modalities: ['text'] },
    pricing: { prompt: '0.0000004', completion: '0.000002', request: '0', internal_reasoning: '0' },
    top_provider: { context_length: 163840, max_completion_tokens: null, is_moderated: false },
    supported_parameters: ['max_tokens', 'temperature', 'reasoning', 'include_reasoning'],
  },
  {
    id: 'openrouter/auto',
    name: 'Auto Router',
    context_length: 2000000,
    pricing: { prompt: '-1', completion: '-1' },
  },
];

export async function startPresetsWire(options: PresetsWireOptions = {}): Promise<PresetsWire> {
  const credits = options.credits ?? { total_credits: 25, total_usage: 7.125 };
  const protocol: WireProtocol = {
    ...openAIProtocol,
    async handle(ctx) {
      const path = (ctx.req.url ?? '/').split('?')[0] ?? '/';
      if (ctx.req.method === 'GET' && path === '/api/v1/models') return json(ctx.res, { data: OPENROUTER_WIRE_MODELS });
      if (ctx.req.method === 'GET' && path === '/api/v1/credits') return json(ctx.res, { data: credits });
      if (options.usageDialect !== 'deepseek') return openAIProtocol.handle(ctx);
      return openAIProtocol.handle({ ...ctx, emit: (event) => ctx.emit(toDeepSeekUsage(event)) });
    },
  };
  const server = await startWireServer(protocol);
  return { origin: server.origin, requests: server.requests, enqueue: server.enqueue, close: server.close };
}

/** Rewrites the usage of one SSE event into DeepSeek's cache fields. */
function toDeepSeekUsage(event: string): string {
  const match = /^data: (\{.*\})\n\n$/s.exec(event);
  if (!match?.[1]) return event;
  const chunk = JSON.parse(match[1]) as { usage?: Record<string, unknown> | null };
  const usage = chunk.usage;
  if (!usage) return event;
  const details = usage.prompt_tokens_details as { cached_tokens?: number } | undefined;
  const prompt = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
  delete usage.prompt_tokens_details;
  // A scenario that reports no cache count gets none, so "unknown stays undefined" can be checked.
  const hit = details?.cached_tokens;
  if (hit === undefined) return `data: ${JSON.stringify(chunk)}\n\n`;
  usage.prompt_cache_hit_tokens = hit;
  usage.prompt_cache_miss_tokens = prompt - hit;
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
