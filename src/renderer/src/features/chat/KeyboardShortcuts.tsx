import { useEffect, useRef, useState } from 'react';
import { useChat } from '../../stores/context';
import { SHORTCUTS, type ShortcutAction, isTypingTarget, shortcutFor } from './shortcuts';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const keysLabel = (keys: string) => keys.replace(/Mod/g, isMac ? '⌘' : 'Ctrl');

const focus = (testId: string) => {
  const element = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  element?.focus();
  return element !== null;
};

/** Goes to the chat page (App.tsx follows the hash), then runs `then` once it has rendered. */
const onChatPage = (then: () => void) => {
  if (window.location.hash === '#chat' || (window.location.hash === '' && document.querySelector('[data-testid="composer"]'))) return then();
  window.location.hash = 'chat';
  requestAnimationFrame(() => requestAnimationFrame(then));
};

/** The app's keyboard shortcuts, and the overlay (`?`) that lists them. */
export function KeyboardShortcuts() {
  const [helpOpen, setHelpOpen] = useState(false);
  const streaming = useChat((s) => s.streaming !== null);
  const newChat = useChat((s) => s.newChat);
  const stop = useChat((s) => s.stop);
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const run = (action: ShortcutAction) => {
      switch (action) {
        case 'new-chat':
          newChat();
          return onChatPage(() => focus('composer'));
        case 'focus-composer':
          return onChatPage(() => focus('composer'));
        case 'stop':
          return stop();
        case 'switch-model':
          return onChatPage(() => focus('model-picker'));
        case 'search':
          return void focus('conversation-search');
        case 'help':
          return setHelpOpen(true);
      }
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const action = shortcutFor(event, { typing: isTypingTarget(event.target as HTMLElement | null), streaming });
      if (action === null) return;
      event.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [newChat, stop, streaming]);

  useEffect(() => {
    if (helpOpen) closeButton.current?.focus();
  }, [helpOpen]);

  if (!helpOpen) return null;
  return (
    <div
      className="overlay"
      onClick={() => setHelpOpen(false)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          setHelpOpen(false);
        }
      }}
    >
      <div
        className="overlay__panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-help"
        onClick={(event) => event.stopPropagation()}
      >
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.action}>
                <td>
                  <kbd>{keysLabel(s.keys)}</kbd>
                </td>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button ref={closeButton} type="button" className="button" onClick={() => setHelpOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
