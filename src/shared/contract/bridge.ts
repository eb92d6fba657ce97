import type { Result } from './route';
import type { ServerFrame } from './wire';

/**
 * What the preload exposes as `window.switchboard`. A generic forwarder: it knows
 * route names only as strings; the renderer's typed client sits on top of it.
 */
export interface PreloadBridge {
  request(route: string, input: unknown): Promise<Result<unknown>>;
  /** Starts a stream; frames for it (chunk, end) arrive through `onFrame`. Returns the abort. */
  stream(route: string, input: unknown, onFrame: (frame: ServerFrame) => void): () => void;
  /** Pushed events; returns the unsubscribe. */
  on(event: string, listener: (data: unknown) => void): () => void;
}

export const BRIDGE_GLOBAL = 'switchboard';

/** Channel names between preload and main. */
export const IPC_CHANNELS = {
  request: 'sb:request',
  stream: 'sb:stream',
  abort: 'sb:abort',
  frame: 'sb:frame',
} as const;

/** Events the host pushes (`{ t: 'event', name }` frames): no request asked for them. */
export const HOST_EVENTS = {
  /** switchboard.yaml was reloaded (a good edit): providers, and so the selectable models, may differ. */
  configChanged: 'config.changed',
} as const;
