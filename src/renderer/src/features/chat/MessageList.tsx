import { useEffect, useRef } from 'react';
import { useChat } from '../../stores/context';
import { MessageItem } from './MessageItem';

/** Distance from the bottom (px) within which we keep following new text. */
const FOLLOW_SLACK = 80;

export function MessageList() {
  const ids = useChat((s) => s.messageIds);
  const loading = useChat((s) => s.loading);
  const loadError = useChat((s) => s.loadError);
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  // Items grow without this component re-rendering, so follow their size instead of renders.
  useEffect(() => {
    const box = scroller.current;
    const inner = content.current;
    if (box === null || inner === null) return;
    const onScroll = () => {
      following.current = box.scrollHeight - box.scrollTop - box.clientHeight < FOLLOW_SLACK;
    };
    const observer = new ResizeObserver(() => {
      if (following.current) box.scrollTop = box.scrollHeight;
    });
    box.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(inner);
    return () => {
      box.removeEventListener('scroll', onScroll);
      observer.disconnect();
    };
  }, []);

  // a new message (sent or loaded) always brings the view to the end
  useEffect(() => {
    following.current = true;
    const box = scroller.current;
    if (box !== null) box.scrollTop = box.scrollHeight;
  }, [ids]);

  return (
    <div className="messages" ref={scroller}>
      <div className="messages__inner" ref={content} role="log" aria-label="Messages" data-testid="message-list">
        {loading && <p className="messages__hint">Loading conversation…</p>}
        {loadError !== null && (
          <p className="messages__error" role="alert">
            Could not open this conversation: {loadError}
          </p>
        )}
        {ids.map((id) => (
          <MessageItem key={id} id={id} />
        ))}
      </div>
    </div>
  );
}
