import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useChat } from '../../stores/context';
import { MessageItem } from './MessageItem';

/** Distance from the bottom (px) within which we keep following new text. */
const FOLLOW_SLACK = 80;
/** A first guess of a message's height, until it is measured. */
const ESTIMATED_HEIGHT = 140;

/**
 * The messages, virtualized: only those near the viewport are in the DOM, so a conversation of
 * thousands of messages opens and scrolls like a short one. Each item is measured as it renders
 * (and again when it grows while streaming); the list follows the end while the user is there.
 */
export function MessageList() {
  const ids = useChat((s) => s.messageIds);
  const loading = useChat((s) => s.loading);
  const loadError = useChat((s) => s.loadError);
  const editError = useChat((s) => s.editError);
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_HEIGHT,
    getItemKey: (index) => ids[index] ?? index,
    overscan: 6,
    paddingStart: 19,
    paddingEnd: 19,
  });

  useEffect(() => {
    const box = scroller.current;
    if (box === null) return;
    const onScroll = () => {
      following.current = box.scrollHeight - box.scrollTop - box.clientHeight < FOLLOW_SLACK;
    };
    box.addEventListener('scroll', onScroll, { passive: true });
    return () => box.removeEventListener('scroll', onScroll);
  }, []);

  // a new message (sent or loaded) always brings the view to the end
  useLayoutEffect(() => {
    following.current = true;
    if (ids.length > 0) virtualizer.scrollToIndex(ids.length - 1, { align: 'end' });
  }, [ids, virtualizer]);

  // An item grew (a streamed answer, a measured guess): this list re-renders through the
  // virtualizer, not per token; stay at the end if the user was there. Once per frame at most,
  // in the frame's own layout, rather than forcing one per measurement.
  const total = virtualizer.getTotalSize();
  const followFrame = useRef(0);
  useEffect(() => {
    if (!following.current || followFrame.current !== 0) return;
    followFrame.current = requestAnimationFrame(() => {
      followFrame.current = 0;
      const box = scroller.current;
      if (box !== null && following.current) box.scrollTop = box.scrollHeight;
    });
  }, [total]);
  useEffect(() => () => cancelAnimationFrame(followFrame.current), []);

  return (
    <div className="messages" ref={scroller}>
      {(loading || loadError !== null || editError !== null) && (
        <div className="messages__status">
          {loading && <p className="messages__hint">Loading conversation…</p>}
          {loadError !== null && (
            <p className="messages__error" role="alert">
              Could not open this conversation: {loadError}
            </p>
          )}
          {editError !== null && (
            <p className="messages__error" role="alert" data-testid="edit-error">
              Could not edit: {editError}
            </p>
          )}
        </div>
      )}
      <div className="messages__inner messages__inner--virtual" role="log" aria-label="Messages" data-testid="message-list" style={{ height: total }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div
            key={item.key}
            className="messages__row"
            data-index={item.index}
            ref={virtualizer.measureElement}
            style={{ transform: `translateY(${item.start}px)` }}
          >
            <MessageItem id={ids[item.index]!} />
          </div>
        ))}
      </div>
    </div>
  );
}
