import type { Result } from '../../../../shared/contract';
import type { ConnectionState, StreamFrame, Transport } from '../transport';

export interface FakeStream {
  route: string;
  input: unknown;
  aborted: boolean;
  chunk(data: unknown): void;
  end(error?: { code: 'ABORTED' | 'UNAVAILABLE' | 'PROVIDER_ERROR' | 'VALIDATION_FAILED'; message: string }): void;
}

/** A scripted transport for client and store tests: answers requests from a table, exposes streams. */
export function createFakeTransport(answers: Record<string, (input: unknown) => Result<unknown>> = {}) {
  const streams: FakeStream[] = [];
  const requests: { route: string; input: unknown }[] = [];
  const connection = new Set<(state: ConnectionState) => void>();
  const events = new Map<string, Set<(data: unknown) => void>>();
  let state: ConnectionState = 'open';

  const transport: Transport = {
    kind: 'websocket',
    async request(route, input) {
      requests.push({ route, input });
      const answer = answers[route];
      return answer ? answer(input) : { ok: false, error: { code: 'UNKNOWN_ROUTE', message: `no fake for ${route}` } };
    },
    stream(route, input, onFrame: (frame: StreamFrame) => void) {
      let ended = false;
      const stream: FakeStream = {
        route,
        input,
        aborted: false,
        chunk: (data) => !ended && onFrame({ t: 'chunk', id: 's', data }),
        end: (error) => {
          if (ended) return;
          ended = true;
          onFrame(error ? { t: 'end', id: 's', error } : { t: 'end', id: 's' });
        },
      };
      streams.push(stream);
      return () => {
        stream.aborted = true;
      };
    },
    on(event, listener) {
      const set = events.get(event) ?? new Set();
      events.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    onConnection(listener) {
      connection.add(listener);
      listener(state);
      return () => connection.delete(listener);
    },
    close() {},
  };

  return {
    transport,
    streams,
    requests,
    /** Pushes a host event, as the server's `{ t: 'event' }` frame would. */
    emit(event: string, data: unknown = {}) {
      for (const listener of events.get(event) ?? []) listener(data);
    },
    setConnection(next: ConnectionState) {
      state = next;
      for (const listener of connection) listener(next);
    },
  };
}
