import { useChat, useModels } from '../../stores/context';
import { isUsable } from '../../stores/models-store';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { NoModelsState } from './NoModelsState';

export function ChatView() {
  const noModels = useModels((s) => s.status === 'ready' && s.selectedId === null && !s.items.some(isUsable));
  const empty = useChat((s) => s.messageIds.length === 0 && !s.loading && s.loadError === null);

  return (
    <section className="chat" aria-label="Chat">
      {empty ? (
        <div className="chat__empty">
          {noModels ? (
            <NoModelsState />
          ) : (
            <div className="empty empty--soft">
              <h2>Start a conversation</h2>
              <p>Pick a model above, type a message and press Enter.</p>
            </div>
          )}
        </div>
      ) : (
        <MessageList />
      )}
      <Composer />
    </section>
  );
}
