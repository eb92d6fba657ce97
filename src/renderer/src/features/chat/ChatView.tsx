import type { DragEvent } from 'react';
import { useChat, useComposerAttachments, useModels } from '../../stores/context';
import { isUsable } from '../../stores/models-store';
import { AssistantPicker } from '../assistants/AssistantPicker';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { NoModelsState } from './NoModelsState';
import './chat.css';

export function ChatView() {
  const noModels = useModels((s) => s.status === 'ready' && s.selectedId === null && !s.items.some(isUsable));
  const empty = useChat((s) => s.messageIds.length === 0 && !s.loading && s.loadError === null);
  const addFiles = useComposerAttachments((s) => s.add);
  // An image dropped anywhere on the chat (not just the composer) is attached, rather than the
  // browser leaving the page to show the file.
  const onDragOver = (event: DragEvent) => {
    if ([...event.dataTransfer.types].includes('Files')) event.preventDefault();
  };
  const onDrop = (event: DragEvent) => {
    if (event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    void addFiles([...event.dataTransfer.files]);
  };

  return (
    <section className="chat" aria-label="Chat" onDragOver={onDragOver} onDrop={onDrop}>
      <AssistantPicker />
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
