import type { ClientFrame, Result, ServerFrame } from '../../../shared/contract';
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from './backoff';
import { unavailable } from './contract-errors';
import type { ConnectionState, StreamFrame, Transport } from './transport';

/** The part of the DOM WebSocket we use, so tests can drive a fake one. */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface WsTransportOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  backoff?: BackoffOptions;
  random?: () => number;
  /** How long a call made while disconnected waits for a connection before it fails. */
  connectWaitMs?: number;
}

type Call = {
  id: string;
  route: string;
  frame: ClientFrame;
  /** Whether the frame went out on the current socket; unsent calls survive a reconnect. */
  sent: boolean;
  waitTimer: ReturnType<typeof setTimeout> | undefined;
} & (
  | { kind: 'request'; resolve: (result: Result<unknown>) => void }
  | { kind: 'stream'; onFrame: (frame: StreamFrame) => void }
);

/**
 * `switchboard serve`: the contract over one WebSocket, with the frames of shared/contract/wire.ts.
 * Reconnects with exponential backoff. Calls already sent when the socket drops fail at once
 * (the host dropped them too); calls made while it is down wait up to `connectWaitMs`.
 */
export function createWsTransport(options: WsTransportOptions): Transport {
  const createSocket = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  const connectWaitMs = options.connectWaitMs ?? 10_000;
  const calls = new Map<string, Call>();
  const eventListeners = new Map<string, Set<(data: unknown) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const idPrefix = Math.random().toString(36).slice(2, 8);
  let nextId = 0;
  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const settle = (call: Call, failure?: string) => {
    calls.delete(call.id);
    if (call.waitTimer !== undefined) clearTimeout(call.waitTimer);
    if (failure === undefined) return;
    const error = unavailable(failure);
    if (call.kind === 'request') call.resolve({ ok: false, error });
    else call.onFrame({ t: 'end', id: call.id, error });
  };

  const send = (call: Call) => {
    if (state !== 'open' || socket === null) return;
    try {
      socket.send(JSON.stringify(call.frame));
      call.sent = true;
      if (call.waitTimer !== undefined) clearTimeout(call.waitTimer);
      call.waitTimer = undefined;
    } catch {
      // the socket is closing; onclose reconnects and sends it again
    }
  };

  const enqueue = (call: Call) => {
    if (state === 'closed') {
      calls.set(call.id, call);
      settle(call, `Switchboard's connection is closed; ${call.route} was not sent.`);
      return;
    }
    calls.set(call.id, call);
    if (state === 'open') send(call);
    if (!call.sent) {
      call.waitTimer = setTimeout(
        () => settle(call, `Could not reach Switchboard within ${Math.round(connectWaitMs / 1000)} s; ${call.route} was not sent.`),
        connectWaitMs,
      );
    }
  };

  const onFrame = (frame: ServerFrame) => {
    if (frame.t === 'event') {
      for (const listener of eventListeners.get(frame.name) ?? []) listener(frame.data);
      return;
    }
    const call = calls.get(frame.id);
    if (call === undefined) return; // late frames for a call already settled
    if (frame.t === 'res') {
      if (call.kind !== 'request') return;
      settle(call);
      call.resolve(frame.result);
    } else if (call.kind === 'stream') {
      if (frame.t === 'end') settle(call);
      call.onFrame(frame);
    }
  };

  const scheduleReconnect = () => {
    setState('reconnecting');
    const delay = backoffDelay(attempt, options.backoff ?? DEFAULT_BACKOFF, options.random);
    attempt += 1;
    reconnectTimer = setTimeout(connect, delay);
  };

  function connect() {
    reconnectTimer = undefined;
    let current: SocketLike;
    try {
      current = createSocket(options.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      attempt = 0;
      setState('open');
      for (const call of calls.values()) if (!call.sent) send(call);
    };
    current.onmessage = (event) => {
      if (socket !== current || typeof event.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(event.data) as ServerFrame;
      } catch {
        return;
      }
      if (frame !== null && typeof frame === 'object' && typeof frame.t === 'string') onFrame(frame);
    };
    current.onerror = () => {}; // a close always follows; it is handled there
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      for (const call of [...calls.values()]) {
        if (call.sent) settle(call, `Lost the connection to Switchboard before ${call.route} finished.`);
      }
      if (state !== 'closed') scheduleReconnect();
    };
  }

  connect();

  return {
    kind: 'websocket',

    request(route, input) {
      return new Promise((resolve) => {
        const id = `${idPrefix}-${++nextId}`;
        enqueue({ kind: 'request', id, route, frame: { t: 'req', id, route, input }, sent: false, waitTimer: undefined, resolve });
      });
    },

    stream(route, input, onFrame) {
      const id = `${idPrefix}-${++nextId}`;
      const call: Call = { kind: 'stream', id, route, frame: { t: 'stream', id, route, input }, sent: false, waitTimer: undefined, onFrame };
      enqueue(call);
      return () => {
        if (calls.get(id) !== call) return;
        if (call.sent && socket !== null && state === 'open') {
          // keep listening: the host ends the stream itself, often with the final usage
          socket.send(JSON.stringify({ t: 'abort', id } satisfies ClientFrame));
        } else {
          settle(call);
          onFrame({ t: 'end', id, error: { code: 'ABORTED', message: 'aborted' } });
        }
      };
    },

    on(event, listener) {
      let set = eventListeners.get(event);
      if (set === undefined) eventListeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },

    onConnection(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },

    close() {
      if (state === 'closed') return;
      setState('closed');
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
      const current = socket;
      socket = null;
      for (const call of [...calls.values()]) settle(call, `Switchboard's connection was closed before ${call.route} finished.`);
      current?.close(1000, 'client closed');
    },
  };
}
