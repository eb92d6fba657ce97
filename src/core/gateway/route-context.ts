import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import { type CallOptions, type CallWarning, type PartIterator, partsOf } from '../../shared/llm';
import type { GatewayBackend } from './gateway-backend';
import { GatewayError } from './gateway-error';

/** What a route handler gets: the parsed JSON body, the caller's token name, and a signal for a client that went away. */
export interface RouteContext {
  body: unknown;
  res: ServerResponse;
  /** The token's name: the `client` of every call recorded for this request. */
  client: string;
  backend: GatewayBackend;
  /** Aborted when the client disconnects before the answer is complete. */
  signal: AbortSignal;
  /** Headers every answer carries (CORS). */
  headers: Record<string, string>;
  /** Unix seconds, for `created` fields. */
  now(): number;
}

export type RouteHandler = (ctx: RouteContext) => Promise<void>;

/** What a chat route's mapper makes of its body, as far as routing goes. */
export interface MappedCall {
  model: string;
  options: CallOptions;
  tags: string[] | undefined;
  preferredProvider: string | undefined;
}

/** Starts the routed call, recorded under the token's name, stopped when the client goes away. */
export async function startCall(ctx: RouteContext, request: MappedCall): Promise<{ requestId: string; parts: PartIterator }> {
  const call = await ctx.backend.stream({
    model: request.model,
    options: { ...request.options, abortSignal: ctx.signal },
    client: ctx.client,
    ...(request.tags && { tags: request.tags }),
    ...(request.preferredProvider && { preferredProvider: request.preferredProvider }),
  });
  return { requestId: call.requestId, parts: partsOf(call) };
}

/** zod parse of a body, or a 400 naming the first field at fault (OpenAI's `param`). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') ?? '';
  const message = issue === undefined ? 'invalid request body' : `${path === '' ? 'body' : path}: ${issue.message}`;
  throw new GatewayError({ code: 'invalid_request', message, param: path === '' ? undefined : path });
}

/**
 * Warnings (parameters dropped or not supported) as one response header, so clients that care can
 * see them while the body keeps the API's exact shape. ASCII only; long lists are cut.
 */
export function warningsHeader(warnings: CallWarning[]): Record<string, string> {
  if (warnings.length === 0) return {};
  const text = warnings
    .map((w) => (w.type === 'unsupported' ? `${w.feature}${w.details ? `: ${w.details}` : ''}` : w.message))
    .join('; ')
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 2000);
  return { 'x-switchboard-warnings': text };
}
