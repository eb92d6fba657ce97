import type { ContractClient } from '../ipc';
import { ACTIVE_MODEL_CHANGED, BUDGET_ALERT, CONFIG_CHANGED } from '../ipc/host-events';
import { budgetAlertText } from '../../../shared/budget-alert-text';
import type { BudgetAlert } from '../../../shared/contract';
import { createToastsStore } from '../components/toast-store';
import { createAssistantsStore } from '../features/assistants/assistants-store';
import { createEngineStore } from '../features/engine/engine-store';
import { createSettingsStore } from '../features/settings/settings-store';
import { createGatewayStore } from '../features/settings/gateway-store';
import { type PreviewUrls, createAttachmentPreviewsStore, objectUrls } from './attachment-previews';
import { createChatStore } from './chat-store';
import { createCompareStore } from './compare-store';
import { createComposerAttachmentsStore } from './composer-attachments-store';
import { type PrepareImage, prepareImageInBrowser } from '../images/prepare-image';
import { createConnectionStore } from './connection-store';
import { createConversationsStore } from './conversations-store';
import type { Scheduler } from './delta-buffer';
import { createDownloadsStore } from './downloads-store';
import { createHubStore } from './hub-store';
import { createLibraryStore } from './library-store';
import { createModelBrowserStore } from './model-browser-store';
import { type PreferenceStorage, createModelsStore } from './models-store';
import { createUsageStore } from './usage-store';
import { createDashboardStore } from './dashboard-store';

export interface AppStoresOptions {
  storage?: PreferenceStorage;
  schedule?: Scheduler;
  now?: () => number;
  /** A dropped file's path on disk (the desktop app's preload); absent in a browser. */
  pathOf?: (file: File) => string | null;
  /** How a dropped image is checked and downscaled before it is stored (the browser's canvas by default). */
  prepareImage?: PrepareImage;
  /** How stored images become URLs for <img> (object URLs by default). */
  previewUrls?: PreviewUrls;
}

/** Builds every store over one client and wires what one domain tells another. */
export function createAppStores(client: ContractClient, options: AppStoresOptions = {}) {
  const models = createModelsStore({ client, storage: options.storage });
  const conversations = createConversationsStore({ client });
  const usage = createUsageStore({ client });
  const dashboard = createDashboardStore({ client, ...(options.now ? { now: options.now } : {}) });
  const modelBrowser = createModelBrowserStore();
  const hub = createHubStore({ client });
  // A finished download or an imported/deleted file changes the local models every list shows.
  const libraryChanged = () => void models.getState().refresh();
  const downloads = createDownloadsStore({
    client,
    ...(options.schedule ? { schedule: options.schedule } : {}),
    // Ollama's own list is cached by the host for a minute: a finished pull asks past it
    onCompleted: (job) => void models.getState().refresh(job.source.kind === 'ollama' ? { force: true } : {}),
  });
  const library = createLibraryStore({ client, pathOf: options.pathOf, onLibraryChanged: libraryChanged, onJob: (job) => downloads.getState().track(job) });
  const urls = options.previewUrls ?? objectUrls;
  const attachmentPreviews = createAttachmentPreviewsStore({ client, urls });
  const composerAttachments = createComposerAttachmentsStore({
    client,
    urls,
    prepare: options.prepareImage ?? prepareImageInBrowser,
    onStored: (ref, url) => attachmentPreviews.getState().seed(ref.id, url),
  });
  const assistants = createAssistantsStore({ client });
  const chat = createChatStore({
    client,
    ...(options.now ? { now: options.now } : {}),
    ...(options.schedule ? { schedule: options.schedule } : {}),
    onConversationStarted: (summary) => {
      conversations.getState().upsert(summary);
      assistants.getState().conversationStarted(summary.id);
    },
    onConversationOpened: (summary) => {
      if (summary.model !== null) models.getState().prefer(summary.model);
      assistants.getState().conversationOpened(summary);
    },
    onExchangeFinished: () => {
      void conversations.getState().refresh();
      void usage.getState().refresh();
      // The dashboard follows finished chats while it is on screen.
      if (dashboard.getState().visible) void dashboard.getState().refresh();
    },
  });

  // Compare has its own draft images (same checks, same store in the core), apart from the chat's.
  const compareAttachments = createComposerAttachmentsStore({
    client,
    urls,
    prepare: options.prepareImage ?? prepareImageInBrowser,
    onStored: (ref, url) => attachmentPreviews.getState().seed(ref.id, url),
  });
  const compare = createCompareStore({
    client,
    ...(options.now ? { now: options.now } : {}),
    ...(options.schedule ? { schedule: options.schedule } : {}),
    onRunFinished: () => {
      void usage.getState().refresh();
      if (dashboard.getState().visible) void dashboard.getState().refresh();
    },
    onContinued: (conversationId) => {
      void conversations.getState().refresh();
      void chat.getState().open(conversationId);
    },
  });

  const settings = createSettingsStore({ client });
  const engine = createEngineStore({ client });
  const gateway = createGatewayStore({ client });
  const toasts = createToastsStore();
  // Budget alerts as toasts (Electron also shows them as OS notifications); the page's spend follows.
  client.on(BUDGET_ALERT, (data) => {
    const text = budgetAlertText(data as BudgetAlert);
    toasts.getState().push({ kind: text.exceeded ? 'error' : 'warning', title: text.title, body: text.body });
    void settings.getState().loadBudgetStatus();
  });
  // The active model is the core's (`settings.active`), shared with the tray: the picker
  // follows it, and a choice in the picker sets it. Nothing is sent until the core's was read.
  let activeSynced = false;
  client.on(ACTIVE_MODEL_CHANGED, (data) => {
    const ref = (data as { ref?: unknown } | null)?.ref;
    if (typeof ref === 'string') models.getState().prefer(ref);
  });
  models.subscribe((state, previous) => {
    if (!activeSynced || state.selectedId === previous.selectedId || state.selectedId === null) return;
    void client.request('settings.active.set', { ref: state.selectedId });
  });
  const syncActiveModel = async () => {
    const before = models.getState().selectedId;
    const active = await client.request('settings.active.get', {});
    // a choice the user made while the answer was on its way wins (and is sent below)
    const untouched = models.getState().selectedId === before;
    if (active.ok && active.data.ref !== null && untouched) models.getState().prefer(active.data.ref);
    activeSynced = true;
    const now = models.getState().selectedId;
    if (!untouched && now !== null) void client.request('settings.active.set', { ref: now });
  };

  const loadAll = async () => {
    await Promise.all([models.getState().refresh(), assistants.getState().load(), conversations.getState().refresh(), usage.getState().refresh(), downloads.getState().refresh()]);
    await syncActiveModel();
  };
  const connection = createConnectionStore({ client, onReconnected: () => void loadAll() });
  // switchboard.yaml changed: providers (and their models) may have come or gone.
  client.on(CONFIG_CHANGED, () => {
    void models.getState().refresh({ force: true });
    if (settings.getState().view !== null) void settings.getState().load();
    void assistants.getState().load();
  });

  return { models, assistants, conversations, usage, dashboard, chat, compare, compareAttachments, attachmentPreviews, composerAttachments, connection, modelBrowser, hub, downloads, library, settings, toasts, engine, gateway, loadAll };
}

export type AppStores = ReturnType<typeof createAppStores>;
