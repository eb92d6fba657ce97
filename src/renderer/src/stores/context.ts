import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppStores } from './app-stores';
import type { AttachmentPreviewsState } from './attachment-previews';
import type { ChatState } from './chat-store';
import type { ComposerAttachmentsState } from './composer-attachments-store';
import type { ConnectionStoreState } from './connection-store';
import type { ConversationsState } from './conversations-store';
import type { DownloadsState } from './downloads-store';
import type { HubState } from './hub-store';
import type { LibraryState } from './library-store';
import type { ModelBrowserState } from './model-browser-store';
import type { ModelsState } from './models-store';
import type { UsageState } from './usage-store';
import type { DashboardState } from './dashboard-store';
import type { ToastsState } from '../components/toast-store';
import type { SettingsState } from '../features/settings/settings-store';
import type { GatewayState } from '../features/settings/gateway-store';
import type { AssistantsState } from '../features/assistants/assistants-store';

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
export const useDashboard = <T>(select: (state: DashboardState) => T): T => useStore(useStores().dashboard, select);
export const useConnection = <T>(select: (state: ConnectionStoreState) => T): T => useStore(useStores().connection, select);
export const useModelBrowser = <T>(select: (state: ModelBrowserState) => T): T => useStore(useStores().modelBrowser, select);
export const useHub = <T>(select: (state: HubState) => T): T => useStore(useStores().hub, select);
export const useDownloads = <T>(select: (state: DownloadsState) => T): T => useStore(useStores().downloads, select);
export const useLibrary = <T>(select: (state: LibraryState) => T): T => useStore(useStores().library, select);
export const useComposerAttachments = <T>(select: (state: ComposerAttachmentsState) => T): T => useStore(useStores().composerAttachments, select);
export const useAttachmentPreviews = <T>(select: (state: AttachmentPreviewsState) => T): T => useStore(useStores().attachmentPreviews, select);
export const useSettings = <T>(select: (state: SettingsState) => T): T => useStore(useStores().settings, select);
export const useGateway = <T>(select: (state: GatewayState) => T): T => useStore(useStores().gateway, select);
export const useToasts = <T>(select: (state: ToastsState) => T): T => useStore(useStores().toasts, select);
export const useAssistants = <T>(select: (state: AssistantsState) => T): T => useStore(useStores().assistants, select);
