import type { ContractClient } from '../ipc';
import { CONFIG_CHANGED } from '../ipc/host-events';
import { createChatStore } from './chat-store';
import { createConnectionStore } from './connection-store';
import { createConversationsStore } from './conversations-store';
import type { Scheduler } from './delta-buffer';
import { type PreferenceStorage, createModelsStore } from './models-store';
import { createUsageStore } from './usage-store';

export interface AppStoresOptions {
  storage?: PreferenceStorage;
  schedule?: Scheduler;
  now?: () => number;
}

/** Builds every store over one client and wires what one domain tells another. */
export function createAppStores(client: ContractClient, options: AppStoresOptions = {}) {
  const models = createModelsStore({ client, storage: options.storage });
  const conversations = createConversationsStore({ client });
  const usage = createUsageStore({ client });
  const chat = createChatStore({
    client,
    ...(options.now ? { now: options.now } : {}),
    ...(options.schedule ? { schedule: options.schedule } : {}),
    onConversationStarted: (summary) => conversations.getState().upsert(summary),
    onConversationOpened: (summary) => {
      if (summary.model !== null) models.getState().prefer(summary.model);
    },
    onExchangeFinished: () => {
      void conversations.getState().refresh();
      void usage.getState().refresh();
    },
  });

  const loadAll = async () => {
    await Promise.all([models.getState().refresh(), conversations.getState().refresh(), usage.getState().refresh()]);
  };
  const connection = createConnectionStore({ client, onReconnected: () => void loadAll() });
  // switchboard.yaml changed: providers (and their models) may have come or gone.
  client.on(CONFIG_CHANGED, () => void models.getState().refresh({ force: true }));

  return { models, conversations, usage, chat, connection, loadAll };
}

export type AppStores = ReturnType<typeof createAppStores>;
