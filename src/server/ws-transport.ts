import type { RawData, WebSocket } from 'ws';
import type { Dispatcher, StreamHandle } from '../core/api/dispatcher';
import { pumpStream } from '../core/api/pump-stream';
import { type ClientFrame, type ContractError, type ServerFrame, clientFrameSchema } from '../shared/contract';

export interface WsTransportOptions {
  /** Passed to handlers as `ctx.origin`. */
  origin?: string;
  /** Bytes queued on the socket above which a stream waits for them to flush before pulling its next chunk. */
  highWaterMark?: number;
  /** Concurrent streams per socket; more are refused with UNAVAILABLE. */
  maxStreams?: number;
  /** Concurrent requests per socket; more are refused with UNAVAILABLE. */
  maxRequests?: number;
}

export interface WsTransport {
  /** Pushes an event frame to this client (ignored once the socket has closed). */
  pushEvent(name: string, data: unknown): void;
}

/** The event a client gets for a frame it sent that has no usable id to answer on. */
export const PROTOCOL_ERROR_EVENT = 'protocol.error';

const DEFAULTS = { origin: 'ws', highWaterMark: 1 << 20, maxStreams: 64, maxRequests: 256 } as const;

/**
 * Binds one WebSocket to the dispatcher: every client frame is checked with
 * `clientFrameSchema`; nothing a client sends can throw out of here.
 */
export function bindWebSocket(socket: WebSocket, dispatcher: Dispatcher, options: WsTransportOptions = {}): WsTransport {
  const { origin, highWaterMark, maxStreams, maxRequests } = { ...DEFAULTS, ...options };
  const streams = new Map<string, StreamHandle>();
  let requestsInFlight = 0;

  const isOpen = () => socket.readyState === socket.OPEN;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

  /**
   * Resolves at once, or, when the socket's buffer is over the mark, once this frame has
   * been flushed (or the socket has closed), so a stream pulls chunks only as fast as the client reads.
   */
  const send = (frame: ServerFrame): Promise<void> => {
    if (!isOpen()) return Promise.resolve();
    const flushed = new Promise<void>((resolve) => socket.send(JSON.stringify(frame), () => resolve()));
    return socket.bufferedAmount <= highWaterMark ? Promise.resolve() : Promise.race([flushed, closed]);
  };

  const handleRequest = async (frame: Extract<ClientFrame, { t: 'req' }>) => {
    if (requestsInFlight >= maxRequests) {
      await send({ t: 'res', id: frame.id, result: { ok: false, error: busy('requests', maxRequests) } });
      return;
    }
    requestsInFlight += 1;
    try {
      const result = await dispatcher.request(frame.route, frame.input, origin);
      await send({ t: 'res', id: frame.id, result });
    } catch (error) {
      // The dispatcher promises not to throw; if it does, the client still gets an answer.
      await send({ t: 'res', id: frame.id, result: { ok: false, error: dispatcher.streamError(error) } });
    } finally {
      requestsInFlight -= 1;
    }
  };

  const handleStream = async (frame: Extract<ClientFrame, { t: 'stream' }>) => {
    const { id } = frame;
    if (streams.has(id)) {
      // Answering on this id would end the stream already using it.
      await send(protocolError(`stream id "${id}" is already in use`));
      return;
    }
    if (streams.size >= maxStreams) {
      await send({ t: 'end', id, error: busy('streams', maxStreams) });
      return;
    }
    const opened = dispatcher.stream(frame.route, frame.input, origin);
    if (!opened.ok) {
      await send({ t: 'end', id, error: opened.error });
      return;
    }
    const handle = opened.data;
    streams.set(id, handle);
    const error = await pumpStream(handle, { sendChunk: (data) => send({ t: 'chunk', id, data }), isOpen }, dispatcher);
    streams.delete(id);
    await send(error === undefined ? { t: 'end', id } : { t: 'end', id, error });
  };

  const handleMessage = async (raw: RawData, isBinary: boolean) => {
    const parsed = parseClientFrame(raw, isBinary);
    if (!parsed.ok) {
      await send(answerForBadFrame(parsed));
      return;
    }
    const frame = parsed.frame;
    switch (frame.t) {
      case 'req':
        return handleRequest(frame);
      case 'stream':
        return handleStream(frame);
      case 'abort':
        // Unknown ids are fine: the stream may have ended while the abort was on its way.
        streams.get(frame.id)?.abort();
        return;
    }
  };

  socket.on('message', (raw, isBinary) => {
    void handleMessage(raw, isBinary);
  });
  socket.on('close', () => {
    for (const handle of streams.values()) handle.abort();
  });
  // ws reports protocol violations (an oversized frame, bad UTF-8) here and then closes the socket.
  socket.on('error', () => undefined);

  return {
    pushEvent(name, data) {
      void send({ t: 'event', name, data });
    },
  };
}

type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; error: ContractError; id: string | undefined; kind: string | undefined };

/** Text → JSON → clientFrameSchema. On failure keeps whatever id and kind it could read, to answer on. */
export function parseClientFrame(raw: RawData, isBinary: boolean): ParsedFrame {
  const bad = (message: string, value?: unknown): ParsedFrame => {
    const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const id = typeof record.id === 'string' && record.id.length > 0 && record.id.length <= 64 ? record.id : undefined;
    const kind = typeof record.t === 'string' ? record.t : undefined;
    return { ok: false, error: { code: 'VALIDATION_FAILED', message }, id, kind };
  };
  if (isBinary) return bad('binary frames are not part of the protocol; send JSON text');
  let value: unknown;
  try {
    value = JSON.parse(rawToText(raw));
  } catch {
    return bad('frame is not valid JSON');
  }
  const result = clientFrameSchema.safeParse(withInputKey(value));
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 3)
      .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
      .join('; ');
    return bad(`invalid frame: ${issues}`, value);
  }
  return { ok: true, frame: result.data };
}

/**
 * JSON has no `undefined`, so a client's `input: undefined` arrives as a missing key,
 * which the frame schema refuses. Restore it; the route's own schema then applies its default.
 */
function withInputKey(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'input' in value) return value;
  return { ...value, input: undefined };
}

function answerForBadFrame(parsed: Extract<ParsedFrame, { ok: false }>): ServerFrame {
  if (parsed.id === undefined) return protocolError(parsed.error.message);
  if (parsed.kind === 'stream') return { t: 'end', id: parsed.id, error: parsed.error };
  return { t: 'res', id: parsed.id, result: { ok: false, error: parsed.error } };
}

function protocolError(message: string): ServerFrame {
  const error: ContractError = { code: 'VALIDATION_FAILED', message };
  return { t: 'event', name: PROTOCOL_ERROR_EVENT, data: error };
}

function busy(what: string, limit: number): ContractError {
  return { code: 'UNAVAILABLE', message: `too many concurrent ${what} on this connection (limit ${limit})` };
}

function rawToText(raw: RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw).toString('utf8');
}
