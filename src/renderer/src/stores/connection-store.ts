import { createStore } from 'zustand/vanilla';
import type { ConnectionState, ContractClient } from '../ipc';

export interface ConnectionStoreState {
  state: ConnectionState;
}

/** Mirrors the transport's connection; calls `onReconnected` when it comes back after a drop. */
export function createConnectionStore(deps: { client: ContractClient; onReconnected?: () => void }) {
  const store = createStore<ConnectionStoreState>()(() => ({ state: 'connecting' }));
  let dropped = false;
  deps.client.onConnection((state) => {
    if (state === 'reconnecting') dropped = true;
    if (state === 'open' && dropped) {
      dropped = false;
      deps.onReconnected?.();
    }
    store.setState({ state });
  });
  return store;
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;
