import { useChat, useConversations } from '../../stores/context';
import { formatWhen } from './format';

export function ConversationList() {
  const items = useConversations((s) => s.items);
  const status = useConversations((s) => s.status);
  const error = useConversations((s) => s.error);
  const activeId = useChat((s) => s.conversationId);
  const open = useChat((s) => s.open);

  return (
    <nav className="conversations" aria-label="Conversations">
      {error !== null && (
        <p className="conversations__error" role="alert">
          Could not load conversations: {error}
        </p>
      )}
      {items.length === 0 && status === 'ready' && <p className="conversations__empty">No conversations yet.</p>}
      <ul className="conversations__list">
        {items.map((conversation) => {
          const active = conversation.id === activeId;
          return (
            <li key={conversation.id}>
              <button
                type="button"
                className="conversations__item"
                data-testid="conversation-item"
                data-conversation-id={conversation.id}
                aria-current={active ? 'page' : undefined}
                onClick={() => void open(conversation.id)}
              >
                <span className="conversations__title">{conversation.title.trim() || 'Untitled'}</span>
                <span className="conversations__when">
                  <time dateTime={new Date(conversation.updatedAt).toISOString()}>{formatWhen(conversation.updatedAt)}</time>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
