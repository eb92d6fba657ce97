import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientFrame, Result, ServerFrame } from '../../../shared/contract';
import type { ConnectionState, StreamFrame } from './transport';
import { type SocketLike, createWsTransport } from './ws-transport';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  sent: ClientFrame[] = [];
  closed = false;
  constructor(readonly url: string) {}
  send(data: string) {
    if (this.closed) throw new Error('closed');
    this.sent.push(JSON.parse(data) as ClientFrame);
  }
  close() {
    this.drop();
  }
  // what the server side does
  open() {
    this.onopen?.({});
  }
  reply(frame: ServerFrame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop() {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.({ code: 1006, reason: '' });
  }
}

function setup(connectWaitMs = 1000) {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const transport = createWsTransport({
    url: 'ws://127.0.0.1:9/ws?token=t',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    backoff: { initialMs: 100, maxMs: 1000, jitter: 0 },
    connectWaitMs,
  });
  transport.onConnection((state) => states.push(state));
  const last = () => sockets[sockets.length - 1]!;
  return { transport, sockets, states, last };
}

describe('createWsTransport', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('queues calls until the socket opens, then sends them as req frames', async () => {
    const { transport, last } = setup();
    const answer = transport.request('usage.summary', {});
    expect(last().url).toBe('ws://127.0.0.1:9/ws?token=t');
    expect(last().sent).toEqual([]);
    last().open();
    const frame = last().sent[0]!;
    expect(frame).toMatchObject({ t: 'req', route: 'usage.summary', input: {} });
    last().reply({ t: 'res', id: frame.id, result: { ok: true, data: 42 } });
    expect(await answer).toEqual({ ok: true, data: 42 });
  });

  it('routes chunk and end frames to their stream, and sends an abort frame', () => {
    const { transport, last } = setup();
    last().open();
    const frames: StreamFrame[] = [];
    const abort = transport.stream('chat.send', { text: 'hi' }, (f) => frames.push(f));
    const id = last().sent[0]!.id;
    last().reply({ t: 'chunk', id, data: { type: 'text-delta', id: 't', delta: 'a' } });
    last().reply({ t: 'chunk', id: 'someone-else', data: {} });
    abort();
    expect(last().sent[1]).toEqual({ t: 'abort', id });
    last().reply({ t: 'end', id, error: { code: 'ABORTED', message: 'aborted' } });
    last().reply({ t: 'chunk', id, data: 'late' });
    expect(frames).toEqual([
      { t: 'chunk', id, data: { type: 'text-delta', id: 't', delta: 'a' } },
      { t: 'end', id, error: { code: 'ABORTED', message: 'aborted' } },
    ]);
  });

  it('fails sent requests and streams at once, clearly, when the connection drops', async () => {
    const { transport, last } = setup();
    last().open();
    const answer = transport.request('conversations.list', {});
    const frames: StreamFrame[] = [];
    transport.stream('chat.send', {}, (f) => frames.push(f));
    last().drop();
    const result = (await answer) as Extract<Result<unknown>, { ok: false }>;
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('UNAVAILABLE');
    expect(result.error.message).toMatch(/Lost the connection to Switchboard before conversations\.list finished/);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ t: 'end', error: { code: 'UNAVAILABLE' } });
  });

  it('reconnects with growing backoff and resets it after a successful open', async () => {
    const { sockets, states, last } = setup();
    last().open();
    last().drop();
    expect(states.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(99);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    last().drop(); // refused: next wait doubles
    await vi.advanceTimersByTimeAsync(199);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    last().open();
    expect(states.at(-1)).toBe('open');
    last().drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(4);
  });

  it('sends calls made while disconnected after reconnecting', async () => {
    const { transport, last } = setup(5000);
    last().open();
    last().drop();
    const answer = transport.request('models.local.list', {});
    await vi.advanceTimersByTimeAsync(100);
    last().open();
    const frame = last().sent[0]!;
    expect(frame.t).toBe('req');
    last().reply({ t: 'res', id: frame.id, result: { ok: true, data: [] } });
    expect(await answer).toEqual({ ok: true, data: [] });
  });

  it('fails a call that waited longer than connectWaitMs for a connection', async () => {
    const { transport } = setup(1000);
    const answer = transport.request('usage.summary', {});
    await vi.advanceTimersByTimeAsync(1000);
    const result = await answer;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/Could not reach Switchboard within 1 s; usage\.summary was not sent/);
  });

  it('aborting a stream that was never sent ends it locally', () => {
    const { transport, last } = setup();
    const frames: StreamFrame[] = [];
    const abort = transport.stream('chat.send', {}, (f) => frames.push(f));
    abort();
    expect(frames).toEqual([{ t: 'end', id: expect.any(String), error: { code: 'ABORTED', message: 'aborted' } }]);
    last().open();
    expect(last().sent).toEqual([]);
  });

  it('delivers pushed events and ignores malformed frames', () => {
    const { transport, last } = setup();
    last().open();
    const seen: unknown[] = [];
    const off = transport.on('models.changed', (data) => seen.push(data));
    last().onmessage?.({ data: 'not json' });
    last().reply({ t: 'event', name: 'models.changed', data: { n: 1 } });
    off();
    last().reply({ t: 'event', name: 'models.changed', data: { n: 2 } });
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('close() fails everything pending and stops reconnecting', async () => {
    const { transport, sockets, states, last } = setup();
    last().open();
    const answer = transport.request('usage.summary', {});
    transport.close();
    expect((await answer).ok).toBe(false);
    expect(states.at(-1)).toBe('closed');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets).toHaveLength(1);
    expect((await transport.request('usage.summary', {})).ok).toBe(false);
  });
});
