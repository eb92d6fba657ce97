import { useEffect, useId, useState } from 'react';
import type { ConversationSummary } from '../../../../shared/domain';
import { useChat, useConversations } from '../../stores/context';
import { formatWhen } from './format';

/** How long typing pauses before the search runs. */
const SEARCH_DELAY_MS = 200;

export function ConversationList() {
  const items = useConversations((s) => s.items);
  const status = useConversations((s) => s.status);
  const error = useConversations((s) => s.error);
  const results = useConversations((s) => s.results);
  const searchError = useConversations((s) => s.searchError);
  const search = useConversations((s) => s.search);
  const activeId = useChat((s) => s.conversationId);
  const open = useChat((s) => s.open);
  const [query, setQuery] = useState('');
  const searchId = useId();

  useEffect(() => {
    const timer = setTimeout(() => void search(query), query.trim() === '' ? 0 : SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, search]);

  const openConversation = (id: string) => {
    void open(id);
    // from another page, a conversation is read on the chat page
    if (window.location.hash !== '#chat') window.location.hash = 'chat';
  };
  const searching = query.trim() !== '';
  const shown: { conversation: ConversationSummary; snippet: string | null }[] = searching
    ? (results ?? [])
    : items.map((conversation) => ({ conversation, snippet: null }));

  return (
    <nav className="conversations" aria-label="Conversations">
      <label htmlFor={searchId} className="visually-hidden">
        Search conversations
      </label>
      <input
        id={searchId}
        type="search"
        className="conversations__search"
        data-testid="conversation-search"
        placeholder="Search conversations (Ctrl+K)"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && query !== '') {
            event.preventDefault();
            setQuery('');
          }
        }}
      />
      {error !== null && (
        <p className="conversations__error" role="alert">
          Could not load conversations: {error}
        </p>
      )}
      {searching && searchError !== null && (
        <p className="conversations__error" role="alert">
          Search failed: {searchError}
        </p>
      )}
      {!searching && items.length === 0 && status === 'ready' && <p className="conversations__empty">No conversations yet.</p>}
      {searching && results !== null && results.length === 0 && (
        <p className="conversations__empty" data-testid="search-empty">
          Nothing matches “{query.trim()}”.
        </p>
      )}
      <ul className="conversations__list">
        {shown.map(({ conversation, snippet }) => {
          const active = conversation.id === activeId;
          return (
            <li key={conversation.id}>
              <button
                type="button"
                className="conversations__item"
                data-testid="conversation-item"
                data-conversation-id={conversation.id}
                aria-current={active ? 'page' : undefined}
                onClick={() => openConversation(conversation.id)}
              >
                <span className="conversations__title">{conversation.title.trim() || 'Untitled'}</span>
                <span className="conversations__when">
                  <time dateTime={new Date(conversation.updatedAt).toISOString()}>{formatWhen(conversation.updatedAt)}</time>
                </span>
                {snippet !== null && (
                  <span className="conversations__snippet" data-testid="search-snippet">
                    {snippet}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
