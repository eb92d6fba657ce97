import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppStores } from './app-stores';
import type { ChatState } from './chat-store';
import type { ConnectionStoreState } from './connection-store';
import type { ConversationsState } from './conversations-store';
import type { ModelsState } from './models-store';
import type { UsageState } from './usage-store';

export const StoresContext = createContext<AppStores | null>(null);

function useStores(): AppStores {
  const stores = useContext(StoresContext);
  if (stores === null) throw new Error('StoresContext is missing: render inside <StoresContext value={…}>');
  return stores;
}

/** Selector hooks: components re-render only when what they select changes. */
export const useChat = <T>(select: (state: ChatState) => T): T => useStore(useStores().chat, select);
export const useModels = <T>(select: (state: ModelsState) => T): T => useStore(useStores().models, select);
export const useConversations = <T>(select: (state: ConversationsState) => T): T => useStore(useStores().conversations, select);
export const useUsage = <T>(select: (state: UsageState) => T): T => useStore(useStores().usage, select);
export const useConnection = <T>(select: (state: ConnectionStoreState) => T): T => useStore(useStores().connection, select);
