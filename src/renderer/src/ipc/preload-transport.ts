import type { PreloadBridge } from '../../../shared/contract';
import type { ConnectionState, Transport } from './transport';

/** Electron: the preload's generic forwarder. IPC inside one app never drops, so it is always open. */
export function createPreloadTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'preload',
    request: (route, input) => bridge.request(route, input),
    stream: (route, input, onFrame) =>
      bridge.stream(route, input, (frame) => {
        if (frame.t === 'chunk' || frame.t === 'end') onFrame(frame);
      }),
    on: (event, listener) => bridge.on(event, listener),
    onConnection(listener: (state: ConnectionState) => void) {
      listener('open');
      return () => {};
    },
    close() {},
  };
}
