import { ConnectionBanner } from './components/ConnectionBanner';
import { ChatView } from './features/chat/ChatView';
import { ConversationList } from './features/chat/ConversationList';
import { ModelPicker } from './features/chat/ModelPicker';
import { UsagePanel } from './features/usage/UsagePanel';
import { useChat } from './stores/context';

export function App() {
  const newChat = useChat((s) => s.newChat);
  const fresh = useChat((s) => s.conversationId === null && s.messageIds.length === 0);

  return (
    <div className="app">
      <aside className="sidebar">
        <div className="sidebar__head">
          <h1 className="brand">Switchboard</h1>
          <button type="button" className="button" data-testid="new-chat" onClick={newChat} disabled={fresh}>
            New chat
          </button>
        </div>
        <ConversationList />
        <UsagePanel />
      </aside>
      <main className="main">
        <header className="toolbar">
          <ModelPicker />
        </header>
        <ConnectionBanner />
        <ChatView />
      </main>
    </div>
  );
}
