import { useEffect, useState } from 'react';
import { ConnectionBanner } from './components/ConnectionBanner';
import { PageNav } from './components/PageNav';
import { Toasts } from './components/Toasts';
import { type Page, pageFromHash } from './components/pages';
import { ChatView } from './features/chat/ChatView';
import { ConversationList } from './features/chat/ConversationList';
import { KeyboardShortcuts } from './features/chat/KeyboardShortcuts';
import { ModelPicker } from './features/chat/ModelPicker';
import { ComparePage } from './features/compare/ComparePage';
import { DashboardPage } from './features/dashboard/DashboardPage';
import { DownloadsPage } from './features/downloads/DownloadsPage';
import { ModelsPage } from './features/models/ModelsPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { UsagePanel } from './features/usage/UsagePanel';
import { useChat } from './stores/context';

export function App() {
  const newChat = useChat((s) => s.newChat);
  const fresh = useChat((s) => s.conversationId === null && s.messageIds.length === 0);
  const [page, setPage] = useState<Page>(() => pageFromHash(window.location.hash));

  useEffect(() => {
    const onHash = () => setPage(pageFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = (next: Page) => {
    setPage(next);
    // replaceState keeps the ?token= query and adds no history entry per click.
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${next}`);
  };

  return (
    <div className="app">
      <aside className="sidebar">
        <div className="sidebar__head">
          <h1 className="brand">Switchboard</h1>
          <button
            type="button"
            className="button"
            data-testid="new-chat"
            onClick={() => {
              newChat();
              go('chat');
            }}
            disabled={fresh && page === 'chat'}
          >
            New chat
          </button>
        </div>
        <PageNav page={page} onChange={go} />
        <ConversationList />
        <UsagePanel />
      </aside>
      <main className="main">
        <ConnectionBanner />
        {page === 'chat' && (
          <>
            <header className="toolbar">
              <ModelPicker />
            </header>
            <ChatView />
          </>
        )}
        {page === 'compare' && <ComparePage />}
        {page === 'models' && <ModelsPage />}
        {page === 'downloads' && <DownloadsPage />}
        {page === 'dashboard' && <DashboardPage />}
        {page === 'settings' && <SettingsPage />}
      </main>
      <Toasts />
      <KeyboardShortcuts />
    </div>
  );
}
