import type { PreloadBridge } from '../../../shared/contract';
import { createPreloadTransport } from './preload-transport';
import type { Transport } from './transport';
import { createWsTransport } from './ws-transport';
import { contractSocketUrl } from './ws-url';

/** The Electron preload's bridge if this page runs in the app, else the `serve` WebSocket. */
export function selectTransport(
  host: { switchboard?: PreloadBridge; location: Pick<Location, 'protocol' | 'host' | 'search'> },
): Transport {
  const bridge = host.switchboard;
  if (bridge !== undefined && typeof bridge.request === 'function') return createPreloadTransport(bridge);
  return createWsTransport({ url: contractSocketUrl(host.location) });
}
