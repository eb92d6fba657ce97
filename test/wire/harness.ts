import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Fault, RecordedRequest, Scenario } from './scenario';

export interface WireHandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  body: unknown;
  scenario: Scenario;
  /** Writes one stream event through the scenario's pacing and `cut`/`malformed` faults. Returns false once the stream was cut. */
  emit(event: string): Promise<boolean>;
}

export interface WireProtocol {
  /** Content type of a streamed answer. */
  streamContentType: string;
  /** A line the protocol cannot parse, for the `malformed` fault. */
  malformedEvent: string;
  /** The provider's own error body for a status fault. */
  errorBody(status: number, message: string): unknown;
  /** Answers one request; `ctx.scenario` says what to answer. */
  handle(ctx: WireHandlerContext): Promise<void>;
}

const DEFAULT_SCENARIO: Scenario = { text: ['Hello', ' from', ' the', ' wire.'], usage: { input: 5, output: 4 }, finish: 'stop' };

/**
 * A real HTTP server on 127.0.0.1 that speaks one provider's wire protocol, answers scripted
 * scenarios and injects faults. Providers' SDKs are pointed at it through their base URL.
 */
export async function startWireServer(protocol: WireProtocol, pathPrefix = ''): Promise<{
  baseURL: string;
  origin: string;
  requests: RecordedRequest[];
  enqueue(...scenarios: Scenario[]): void;
  close(): Promise<void>;
}> {
  const queue: Scenario[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: unknown = raw;
      try {
        body = raw.length > 0 ? JSON.parse(raw) : undefined;
      } catch {
        // keep the raw text: a test may send a non-JSON body on purpose
      }
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body });
      const scenario = queue.shift() ?? DEFAULT_SCENARIO;
      if (scenario.fault && (await applyImmediateFault(scenario.fault, req, res, protocol))) return;
      let sent = 0;
      let cut = false;
      const emit = async (event: string): Promise<boolean> => {
        if (cut) return false;
        const fault = scenario.fault;
        if (fault?.kind === 'cut' && sent >= fault.afterEvents) {
          cut = true;
          // Node holds writes of the same tick back; let them reach the client before the cut,
          // or it sees a dead connection instead of a stream that stops partway.
          await sleep(5);
          req.socket.destroy();
          return false;
        }
        if (fault?.kind === 'malformed' && sent === fault.afterEvents) {
          res.write(protocol.malformedEvent);
        }
        if (scenario.delayMs) await sleep(scenario.delayMs);
        res.write(event);
        sent += 1;
        return true;
      };
      await protocol.handle({ req, res, body, scenario, emit });
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`wire server error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseURL: `${origin}${pathPrefix}`,
    origin,
    requests,
    enqueue: (...scenarios) => queue.push(...scenarios),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Faults that replace the whole answer. Returns true when the request was handled. */
async function applyImmediateFault(fault: Fault, req: IncomingMessage, res: ServerResponse, protocol: WireProtocol): Promise<boolean> {
  switch (fault.kind) {
    case 'status': {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      res.writeHead(fault.status, headers);
      res.end(JSON.stringify(protocol.errorBody(fault.status, fault.message ?? `wire server says ${fault.status}`)));
      return true;
    }
    case 'timeout':
      // Hold the request open; the client's timeout or abort ends it.
      await new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
      return true;
    case 'reset':
      req.socket.destroy();
      return true;
    case 'content-type':
      res.writeHead(200, { 'content-type': fault.contentType });
      res.end('<html><body>not an API</body></html>');
      return true;
    default:
      return false;
  }
}

export function sseEvent(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export function ndjsonLine(data: unknown): string {
  return `${JSON.stringify(data)}\n`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
