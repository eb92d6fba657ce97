import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Log } from '../services/log';
import { anthropicErrorBody, anthropicStatus } from './anthropic/anthropic-errors';
import { messagesRoute } from './anthropic/messages-route';
import type { GatewayBackend } from './gateway-backend';
import { GatewayError, toGatewayError } from './gateway-error';
import type { GatewayTokens } from './gateway-tokens';
import { bindHostnames, listen, parseJson, readBody, sendJson } from './http-io';
import { modelsRoute } from './models-route';
import { chatCompletionsRoute } from './openai/chat-completions-route';
import { embeddingsRoute } from './openai/embeddings-route';
import { openAIErrorBody } from './openai/openai-errors';
import { type GatewayHostPolicy, corsHeaders, isAllowedHost, isAllowedOrigin, preflightHeaders } from './request-guard';
import type { RouteContext, RouteHandler } from './route-context';

export const GATEWAY_DEFAULTS = {
  host: '127.0.0.1',
  port: 5178,
  /** Images travel as base64 in the body. */
  maxBodyBytes: 20 * 1024 * 1024,
  maxConcurrency: 32,
} as const;

export interface GatewayServerOptions {
  backend: GatewayBackend;
  tokens: Pick<GatewayTokens, 'verify'>;
  /** Default 127.0.0.1. Anything else exposes the gateway beyond this machine. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Host names accepted besides loopback ones and the bind host (a LAN name when bound elsewhere). */
  allowedHosts?: readonly string[];
  /** Browser origins allowed to call (`*` for any). Default none: no CORS, and browser pages are refused. */
  corsOrigins?: readonly string[];
  maxBodyBytes?: number;
  /** Requests in flight at once; more get 429 with Retry-After (the SDKs retry by themselves). */
  maxConcurrency?: number;
  log?: Log;
  /** Epoch ms. */
  clock?: () => number;
}

export interface RunningGateway {
  /** The base URL clients use, e.g. `http://127.0.0.1:5178/v1`. */
  baseURL: string;
  host: string;
  port: number;
  /** Requests in flight now. */
  inFlight(): number;
  close(): Promise<void>;
}

type Api = 'openai' | 'anthropic';

const POST_ROUTES: Record<string, RouteHandler> = {
  '/v1/chat/completions': chatCompletionsRoute,
  '/v1/embeddings': embeddingsRoute,
  '/v1/messages': messagesRoute,
};

/**
 * The gateway's HTTP server: OpenAI's and Anthropic's APIs over the backend. Every request passes,
 * in order: the Host check (DNS rebinding), the Origin check (browsers only from configured
 * origins), the route, the bearer token, the concurrency limit, the body limit, zod validation.
 * Errors use the shape of the API the route belongs to, so each SDK raises its usual exception.
 */
export async function startGatewayServer(options: GatewayServerOptions): Promise<RunningGateway> {
  const host = options.host ?? GATEWAY_DEFAULTS.host;
  const maxBodyBytes = options.maxBodyBytes ?? GATEWAY_DEFAULTS.maxBodyBytes;
  const maxConcurrency = options.maxConcurrency ?? GATEWAY_DEFAULTS.maxConcurrency;
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => undefined);
  const policy: GatewayHostPolicy = {
    port: options.port,
    extraHostnames: [...bindHostnames(host), ...(options.allowedHosts ?? []).map((h) => h.toLowerCase())],
    corsOrigins: (options.corsOrigins ?? []).map((o) => o.toLowerCase().replace(/\/$/, '')),
  };
  let inFlight = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const api: Api = path === '/v1/messages' ? 'anthropic' : 'openai';
    const origin = req.headers.origin;
    const cors = corsHeaders(origin, policy);
    const fail = (error: GatewayError) => sendError(res, api, error, cors);

    if (!isAllowedHost(req.headers.host, policy)) {
      // A DNS-rebinding page, or a name the gateway was not told about.
      return fail(new GatewayError({ code: 'forbidden', status: 421, message: `unknown Host "${req.headers.host ?? ''}"; call the gateway at http://127.0.0.1:${policy.port} (or list the name in gateway.allowedHosts)` }));
    }
    if (!isAllowedOrigin(origin, policy)) {
      return fail(new GatewayError({ code: 'forbidden', message: `requests from the browser origin ${origin ?? ''} are not allowed; list it in gateway.corsOrigins to allow it` }));
    }
    if (req.method === 'OPTIONS') {
      const requested = req.headers['access-control-request-headers'];
      res.writeHead(204, origin === undefined ? { allow: 'GET, POST, OPTIONS' } : preflightHeaders(origin, requested, policy));
      res.end();
      return;
    }

    const modelsMatch = /^\/v1\/models(?:\/(.+))?$/.exec(path);
    const post = POST_ROUTES[path];
    if (modelsMatch === null && post === undefined) {
      return fail(new GatewayError({ code: 'unknown_route', message: `no route ${req.method ?? ''} ${path}; the gateway serves /v1/chat/completions, /v1/embeddings, /v1/models and /v1/messages` }));
    }
    const expected = modelsMatch !== null ? 'GET' : 'POST';
    if (req.method !== expected) {
      return fail(new GatewayError({ code: 'invalid_request', status: 405, message: `${path} takes ${expected}, not ${req.method ?? ''}` }));
    }

    let client: string | undefined;
    try {
      client = options.tokens.verify(bearerToken(req));
    } catch (error) {
      // A token file someone broke by hand: say so (its path, never a token), refuse everyone.
      log('error', `gateway: ${error instanceof Error ? error.message : String(error)}`);
      return fail(new GatewayError({ code: 'internal', message: `the gateway cannot read its tokens: ${error instanceof Error ? error.message : String(error)}` }));
    }
    if (client === undefined) {
      return fail(new GatewayError({ code: 'unauthorized', message: 'missing or unknown gateway token: send Authorization: Bearer <token> (or x-api-key); create one with `switchboard gateway tokens create NAME`' }));
    }
    if (inFlight >= maxConcurrency) {
      return fail(new GatewayError({ code: 'busy', message: `the gateway has ${maxConcurrency} requests in flight (gateway.maxConcurrency); try again shortly`, retryAfterMs: 1000 }));
    }

    inFlight += 1;
    const abort = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) abort.abort();
    };
    res.once('close', onClose);
    try {
      const body = post === undefined ? undefined : parseJson(await readBody(req, maxBodyBytes));
      const ctx: RouteContext = { body, res, client, backend: options.backend, signal: abort.signal, headers: cors, now: () => Math.floor(clock() / 1000) };
      if (post !== undefined) await post(ctx);
      else await modelsRoute(ctx, req, modelsMatch?.[1] === undefined ? undefined : decodeModelId(modelsMatch[1]));
    } catch (error) {
      const failure = toGatewayError(error);
      // A client that went away is not a failure to report: its call is recorded as aborted.
      if (abort.signal.aborted) return;
      if (failure.code === 'internal') log('error', `gateway: ${req.method ?? ''} ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      else if (failure.status >= 500) log('warn', `gateway: ${req.method ?? ''} ${path} from ${client}: ${failure.status} ${failure.message}`);
      if (res.headersSent) res.destroy();
      else fail(failure);
    } finally {
      inFlight -= 1;
      res.off('close', onClose);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log('error', `gateway: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, openAIErrorBody(new GatewayError({ code: 'internal', message: 'internal error' })));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;

  await listen(server, options.port, host);
  const port = (server.address() as AddressInfo).port;
  policy.port = port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    baseURL: `http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? '127.0.0.1' : shownHost}:${port}/v1`,
    host,
    port,
    inFlight: () => inFlight,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streams in flight are cut; their calls are recorded as aborted by the core.
        server.closeAllConnections();
      })),
  };
}

function sendError(res: ServerResponse, api: Api, error: GatewayError, cors: Record<string, string>): void {
  const headers: Record<string, string> = { ...cors, 'x-should-retry': String(error.shouldRetry) };
  if (error.retryAfterMs !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  if (api === 'anthropic') sendJson(res, anthropicStatus(error), anthropicErrorBody(error), headers);
  else sendJson(res, error.status, openAIErrorBody(error), headers);
}

function decodeModelId(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new GatewayError({ code: 'invalid_request', message: `the model id in the path is not valid percent-encoding: ${text.slice(0, 100)}`, param: 'model' });
  }
}

/** `Authorization: Bearer <token>` (OpenAI's SDK) or `x-api-key` (Anthropic's). */
function bearerToken(req: IncomingMessage): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  const key = req.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
}
