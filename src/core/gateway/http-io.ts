import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { GatewayError } from './gateway-error';

/** Sends a JSON answer with the given status and extra headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Reads the request body, up to `maxBytes`. A declared or actual size over the limit is a 413
 * before more is read; the socket is not kept for the rest of an oversized upload.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError({ code: 'body_too_large', message: `the request body is over the gateway's limit of ${maxBytes} bytes (gateway.maxBodyBytes in switchboard.yaml)` });
}

/** Parses JSON text, or a 400 that says it is not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new GatewayError({ code: 'invalid_request', message: 'the request body is not valid JSON' });
  }
}

/**
 * Writes an SSE stream with backpressure: `write` waits for the socket to drain when its buffer is
 * full, and reports false once the client has gone.
 */
export function sseWriter(res: ServerResponse, headers: Record<string, string>) {
  res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  return {
    async write(text: string): Promise<boolean> {
      if (text === '') return !res.destroyed;
      if (res.destroyed || res.writableEnded) return false;
      if (res.write(text)) return true;
      await drainOrClose(res);
      return !res.destroyed;
    },
    end(): void {
      if (!res.writableEnded) res.end();
    },
  };
}

/** Waits for a response to drain or close, leaving no listener behind (a long stream waits many times). */
export function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Listens, rejecting with the bind error (a port in use, an address not on this machine). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The bind host as a Host name to accept besides loopback ones; a wildcard bind has no single name, so none. */
export function bindHostnames(host: string): string[] {
  const name = host.includes(':') ? `[${host.toLowerCase()}]` : host.toLowerCase();
  return name === '0.0.0.0' || name === '[::]' ? [] : [name];
}
