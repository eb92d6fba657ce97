import WebSocket from 'ws';
import { type ServerFrame, serverFrameSchema } from '../../shared/contract';

/** A real `ws` client that queues parsed server frames so a test can await them in order. */
export interface TestClient {
  socket: WebSocket;
  send(frame: unknown): void;
  sendRaw(text: string): void;
  /** The next frame that matches, skipping none: frames that don't match fail the test. */
  next(): Promise<ServerFrame>;
  /** Frames for one id until (and including) its `end`. */
  collectStream(id: string): Promise<ServerFrame[]>;
  closed: Promise<{ code: number }>;
  close(): void;
}

export function connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const queue: ServerFrame[] = [];
    const waiting: Array<(frame: ServerFrame) => void> = [];
    socket.on('message', (data) => {
      const frame = serverFrameSchema.parse(JSON.parse(String(data)));
      const waiter = waiting.shift();
      if (waiter) waiter(frame);
      else queue.push(frame);
    });
    const closed = new Promise<{ code: number }>((r) => socket.on('close', (code) => r({ code })));
    const next = () =>
      new Promise<ServerFrame>((r) => {
        const frame = queue.shift();
        if (frame) r(frame);
        else waiting.push(r);
      });
    socket.once('unexpected-response', (_req, res) => reject(new UpgradeRefused(res.statusCode ?? 0)));
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        socket,
        send: (frame) => socket.send(JSON.stringify(frame)),
        sendRaw: (text) => socket.send(text),
        next,
        async collectStream(id) {
          const frames: ServerFrame[] = [];
          for (;;) {
            const frame = await next();
            if (!('id' in frame) || frame.id !== id) throw new Error(`unexpected frame ${JSON.stringify(frame)}`);
            frames.push(frame);
            if (frame.t === 'end') return frames;
          }
        },
        closed,
        close: () => socket.close(),
      }),
    );
  });
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with ${status}`);
  }
}
