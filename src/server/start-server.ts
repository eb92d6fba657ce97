import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Dispatcher } from '../core/api/dispatcher';
import { bindHostnames, listen } from '../core/gateway/http-io';
import { securityHeaders } from './security-headers';
import { requestPath, sendText, serveStatic } from './static-files';
import { createToken, tokensEqual } from './token';
import { type HostPolicy, isAllowedHost, isAllowedOrigin } from './upgrade-guard';
import { type WsTransportOptions, bindWebSocket } from './ws-transport';

export interface StartServerOptions {
  dispatcher: Dispatcher;
  /** The renderer build (index.html + assets/). */
  rendererDir: string;
  /** Defaults to 127.0.0.1. Anything else exposes the app beyond this machine. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Defaults to a fresh random token; pass one only to reuse it (tests, restarts). */
  token?: string;
  /** Largest client frame in bytes; bigger ones close the socket with 1009. Default 32 MiB (images travel as base64). */
  maxPayloadBytes?: number;
  /** Per-socket limits (backpressure mark, concurrent streams and requests). */
  transport?: Omit<WsTransportOptions, 'origin'>;
  /** Host events (the core's `onEvent`), pushed to every connected page. */
  events?: (listener: (name: string, data: unknown) => void) => () => void;
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:5177/`. */
  url: string;
  /** What to open in a browser: the base URL with `?token=`. */
  pageUrl: string;
  /** The contract socket, with `?token=`. */
  wsUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const WS_PATH = '/ws';
const DEFAULT_MAX_PAYLOAD = 32 * 1024 * 1024;

/** The headless host: the renderer build over HTTP and the contract over WebSocket at /ws. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? createToken();
  if (token.length < 16) throw new Error('startServer: a token must be at least 16 characters');

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD });
  const pages = new Set<{ pushEvent(name: string, data: unknown): void }>();
  wss.on('connection', (socket) => {
    const page = bindWebSocket(socket, options.dispatcher, { ...options.transport, origin: 'ws' });
    pages.add(page);
    socket.once('close', () => pages.delete(page));
  });
  const unsubscribe = options.events?.((name, data) => {
    for (const page of pages) page.pushEvent(name, data);
  });

  // The port is known only after listen(); the handlers read it through this policy.
  const policy: HostPolicy = { port: options.port, extraHostnames: bindHostnames(host) };

  const server = createServer((req, res) => {
    void handleHttp(req, res, options.rendererDir, policy).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const refusal = checkUpgrade(req, token, policy);
    if (refusal !== null) {
      refuse(socket, refusal.status, refusal.message);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await listen(server, options.port, host);
  const port = (server.address() as AddressInfo).port;
  policy.port = port;

  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${base}/`,
    pageUrl: `${base}/?token=${encodeURIComponent(token)}`,
    wsUrl: `${base.replace(/^http/, 'ws')}${WS_PATH}?token=${encodeURIComponent(token)}`,
    port,
    token,
    close: () => {
      unsubscribe?.();
      return close(server, wss);
    },
  };
}

async function handleHttp(req: IncomingMessage, res: ServerResponse, rendererDir: string, policy: HostPolicy) {
  if (!isAllowedHost(req.headers.host, policy)) {
    // 421: this server does not answer for that name (a DNS-rebinding page, or a proxy mix-up).
    sendText(res, 421, 'unknown host; open the app through http://127.0.0.1');
    return;
  }
  await serveStatic(req, res, rendererDir, securityHeaders({ host: req.headers.host ?? '' }));
}

function checkUpgrade(req: IncomingMessage, token: string, policy: HostPolicy): { status: number; message: string } | null {
  if (requestPath(req.url) !== WS_PATH) return { status: 404, message: 'not found' };
  if (!isAllowedHost(req.headers.host, policy)) return { status: 403, message: 'unknown host' };
  if (!isAllowedOrigin(req.headers.origin, policy)) return { status: 403, message: 'foreign origin' };
  const given = new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get('token');
  if (!tokensEqual(token, given)) return { status: 401, message: 'missing or wrong token' };
  return null;
}

function refuse(socket: Duplex, status: number, message: string): void {
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
  socket.on('error', () => undefined);
}


async function close(server: Server, wss: WebSocketServer): Promise<void> {
  // Closing each client fires its 'close', which aborts that client's streams.
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
