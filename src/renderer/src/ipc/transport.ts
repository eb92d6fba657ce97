import type { Result, ServerFrame } from '../../../shared/contract';

/** The frames that belong to one stream: its chunks, then exactly one end. */
export type StreamFrame = Extract<ServerFrame, { t: 'chunk' | 'end' }>;

/** `open` once the host can be reached; `reconnecting` after a drop, until it can again. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * How the renderer reaches the core. Route names are plain strings here; the typed client
 * in client.ts sits on top. Implementations never throw: failures come back as a Result
 * or as an `end` frame with an error.
 */
export interface Transport {
  readonly kind: 'preload' | 'websocket';
  request(route: string, input: unknown): Promise<Result<unknown>>;
  /** Starts a stream; its frames arrive through `onFrame`, ending with one `end`. Returns the abort. */
  stream(route: string, input: unknown, onFrame: (frame: StreamFrame) => void): () => void;
  /** Pushed events; returns the unsubscribe. */
  on(event: string, listener: (data: unknown) => void): () => void;
  /** Calls `listener` now with the current state and on every change; returns the unsubscribe. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}
