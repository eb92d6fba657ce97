import type { Dispatcher } from '../core/api/dispatcher';
import { IPC_CHANNELS, type Result, type ServerFrame, fail } from '../shared/contract';
import type { AppLocation } from './app-location';
import { type SenderInfo, isTrustedSender } from './sender-validation';
import { createStreamRegistry } from './stream-registry';

/** The part of a webContents the bridge uses. Electron's WebContents fits it. */
export interface BridgeWebContents {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** The part of an IPC event the bridge uses. Electron's IpcMainEvent/IpcMainInvokeEvent fit it. */
export interface BridgeEvent {
  readonly sender: BridgeWebContents;
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

type Listener = (event: BridgeEvent, ...args: unknown[]) => void;

/** The part of ipcMain the bridge uses; a fake in tests. */
export interface BridgeIpcMain {
  handle(channel: string, listener: (event: BridgeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: Listener): unknown;
  removeListener(channel: string, listener: Listener): unknown;
}

export interface IpcBridge {
  /** Trusts a window's webContents; its streams are aborted when it is destroyed. */
  attach(webContents: BridgeWebContents): void;
  /** Aborts a webContents' streams, e.g. when its page reloads. */
  releaseStreams(webContentsId: number): void;
  /** Pushes an event to every attached window (`on(name)` in the preload). */
  broadcast(name: string, data: unknown): void;
  /** Streams running (for tests and diagnostics). */
  activeStreams(webContentsId?: number): number;
  /** Removes the IPC handlers and aborts every stream. */
  dispose(): void;
}

export interface IpcBridgeOptions {
  ipcMain: BridgeIpcMain;
  dispatcher: Pick<Dispatcher, 'request' | 'stream' | 'streamError'>;
  location: AppLocation;
  log?: (message: string) => void;
}

/**
 * Binds the dispatcher to Electron IPC, the same contract the WebSocket transport carries:
 * `request` is an invoke answered with a Result; `stream` (id, route, input) answers with
 * `frame` messages to the sender only; `abort` (id) stops one. Input validation is the
 * dispatcher's (zod, per route); the bridge checks only who is calling.
 */
export function bindIpcBridge(options: IpcBridgeOptions): IpcBridge {
  const { ipcMain, dispatcher, location } = options;
  const log = options.log ?? (() => {});
  const attached = new Map<number, BridgeWebContents>();
  const webContentsIds = new Set<number>();
  const streams = createStreamRegistry(dispatcher, {
    origin: 'ipc',
    onSendError: (error) => log(`ipc: frame not sent: ${String(error)}`),
  });

  const trusted = (event: BridgeEvent): boolean => {
    const ok = isTrustedSender(senderInfo(event), { location, webContentsIds });
    if (!ok) log(`ipc: refused a message from webContents ${event.sender.id}`);
    return ok;
  };
  const sinkOf = (webContents: BridgeWebContents) => ({
    id: webContents.id,
    isDestroyed: () => webContents.isDestroyed(),
    send: (frame: ServerFrame) => webContents.send(IPC_CHANNELS.frame, frame),
  });

  const onRequest = async (event: BridgeEvent, route: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!trusted(event)) return fail('UNAUTHORIZED', 'this page may not use the app bridge');
    if (typeof route !== 'string') return fail('VALIDATION_FAILED', 'route must be a string');
    return dispatcher.request(route, input, 'ipc');
  };
  const onStream: Listener = (event, id, route, input) => {
    if (!trusted(event)) return;
    streams.start(sinkOf(event.sender), id, route, input);
  };
  const onAbort: Listener = (event, id) => {
    if (!trusted(event)) return;
    streams.abort(event.sender.id, id);
  };

  ipcMain.handle(IPC_CHANNELS.request, (event, route, input) => onRequest(event, route, input));
  ipcMain.on(IPC_CHANNELS.stream, onStream);
  ipcMain.on(IPC_CHANNELS.abort, onAbort);

  return {
    attach(webContents) {
      if (attached.has(webContents.id)) return;
      attached.set(webContents.id, webContents);
      webContentsIds.add(webContents.id);
      webContents.once('destroyed', () => {
        attached.delete(webContents.id);
        webContentsIds.delete(webContents.id);
        streams.abortAll(webContents.id);
      });
    },
    releaseStreams(webContentsId) {
      streams.abortAll(webContentsId);
    },
    broadcast(name, data) {
      const frame: ServerFrame = { t: 'event', name, data };
      for (const webContents of attached.values()) {
        if (!webContents.isDestroyed()) webContents.send(IPC_CHANNELS.frame, frame);
      }
    },
    activeStreams(webContentsId) {
      return streams.size(webContentsId);
    },
    dispose() {
      ipcMain.removeHandler(IPC_CHANNELS.request);
      ipcMain.removeListener(IPC_CHANNELS.stream, onStream);
      ipcMain.removeListener(IPC_CHANNELS.abort, onAbort);
      for (const id of attached.keys()) streams.abortAll(id);
    },
  };
}

/** Reads the sender frame defensively: a frame that is gone throws on access in Electron. */
export function senderInfo(event: BridgeEvent): SenderInfo {
  try {
    const frame = event.senderFrame;
    return {
      frameUrl: frame ? frame.url : null,
      isMainFrame: frame !== null && frame.parent === null,
      webContentsId: event.sender.id,
    };
  } catch {
    return { frameUrl: null, isMainFrame: false, webContentsId: event.sender.id };
  }
}
